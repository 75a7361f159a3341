/* The few libtracecmd functions lockgraph uses that the library exports but
 * declares only in trace-cmd's private header (trace-cmd-private.h, 3.1.x);
 * the declarations must match it exactly. */
#ifndef LOCKGRAPH_TRACECMD_PRIVATE_H
#define LOCKGRAPH_TRACECMD_PRIVATE_H

#include <stdbool.h>
#include <trace-cmd/trace-cmd.h>

struct tracecmd_output;

/* The page size of the machine that recorded the file, and its uname
 * ("sysname nodename release machine"), NULL if the file has none. */
int tracecmd_page_size(struct tracecmd_input *handle);
const char *tracecmd_get_uname(struct tracecmd_input *handle);
/* The trace clock of a version 6 file's TRACECLOCK option, NULL if none (a
 * version 7 file's is in its BUFFER option, which tracedat_layout.h reads). */
const char *tracecmd_get_trace_clock(struct tracecmd_input *handle);
/* The file's CPUSTAT options one after another, NULL if it has none. */
const char *tracecmd_get_cpustats(struct tracecmd_input *handle);

/* Reading a procmaps option (proc_maps.h): the mapping of process pid that
 * holds addr, as the file says (NULL if none); valid while handle is open. */
struct tracecmd_proc_addr_map {
	unsigned long long	start;
	unsigned long long	end;
	char			*lib_name;
};
struct tracecmd_proc_addr_map *tracecmd_search_task_map(struct tracecmd_input *handle,
							int pid, unsigned long long addr);


/* Writing a trace.dat, in the order trace-cmd record does (lockgraph record). */
#define LG_TRACECMD_OPTION_CPUSTAT 2	/* one per CPU: cpu_stats.h */
#define LG_TRACECMD_OPTION_UNAME 5
/* a process's mappings, the text of proc_maps.h */
#define LG_TRACECMD_OPTION_PROCMAPS 10

struct tracecmd_event_list {
	struct tracecmd_event_list *next;
	const char *glob;		/* "system/event", a glob */
};
struct tracecmd_option;

struct tracecmd_output *tracecmd_output_create_fd(int fd);
/* quiet: no "CPU0 data recorded at offset=..." narration on stderr */
void tracecmd_set_quiet(struct tracecmd_output *handle, bool set_quiet);
int tracecmd_output_set_version(struct tracecmd_output *handle, int file_version);
/* "any": the best compression the library has; fails if it has none */
int tracecmd_output_set_compression(struct tracecmd_output *handle, const char *compression);
/* header page, ftrace and the listed events' formats, kallsyms, printk formats */
int tracecmd_output_write_headers(struct tracecmd_output *handle,
				  struct tracecmd_event_list *list);
struct tracecmd_option *tracecmd_add_option(struct tracecmd_output *handle,
					    unsigned short id, int size, const void *data);
int tracecmd_write_cmdlines(struct tracecmd_output *handle);
/* the options added since the last write, as a new options section (v7) */
int tracecmd_write_options(struct tracecmd_output *handle);
/* CPU count, buffer info and options, then each CPU's raw pages from its file */
int tracecmd_append_cpu_data(struct tracecmd_output *handle, int cpus,
			     char *const *cpu_data_files);
void tracecmd_output_free(struct tracecmd_output *handle);
void tracecmd_output_close(struct tracecmd_output *handle);

#endif
