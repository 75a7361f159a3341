/* The few libtracecmd functions lockgraph uses that the library exports but
 * declares only in trace-cmd's private header (trace-cmd-private.h, 3.1.x);
 * the declarations must match it exactly. */
#ifndef LOCKGRAPH_TRACECMD_PRIVATE_H
#define LOCKGRAPH_TRACECMD_PRIVATE_H

#include <trace-cmd/trace-cmd.h>

/* enum tracecmd_file_states: the state after the per-CPU data, i.e. all of it */
#define LG_TRACECMD_FILE_CPU_FLYRECORD 11

struct tracecmd_output;

/* Copy ihandle (opened with tracecmd_open_head) into file, as file_version,
 * compressed with compression (NULL: none); what `trace-cmd convert` does. */
struct tracecmd_output *tracecmd_copy(struct tracecmd_input *ihandle, const char *file,
				      int state, int file_version, const char *compression);
void tracecmd_output_close(struct tracecmd_output *handle);

#endif
