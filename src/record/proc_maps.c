/* Snapshots of /proc/PID/maps in the text of trace-cmd's procmaps option; see
 * proc_maps.h for what is kept and why. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lockgraph/lib/util.h"
#include "lockgraph/record/proc_maps.h"

/* trace-cmd's STR_PROCMAP_LINE_MAX: a longer line loses the whole option */
#define LINE_MAX_BYTES 4096

/* One line of /proc/PID/maps. */
struct mapping {
	unsigned long long start, end, inode;
	char perms[5];
	char *path;	/* "" when anonymous */
};

static bool parse_line(char *line, struct mapping *m)
{
	unsigned long long offset;
	unsigned major, minor;
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &m->start, &m->end, m->perms,
		   &offset, &major, &minor, &m->inode, &n) < 7 || !n)
		return false;
	m->path = line + n;
	return true;
}

static bool representable(const char *path)
{
	for (const char *p = path; *p; p++)
		if (isspace((unsigned char)*p))
			return false;
	/* "START END PATH": two 64-bit numbers in hex, two blanks */
	return strlen(path) + 2 * 16 + 2 <= LINE_MAX_BYTES;
}

/* The file mapping the next line may extend with .bss: its path and end. */
struct previous {
	char path[LINE_MAX_BYTES];	/* "" when the last line was no kept file */
	unsigned long long end;
	bool writable;
};

static bool is_bss(const struct mapping *m, const struct previous *prev)
{
	return !m->path[0] && !m->inode && prev->path[0] && prev->writable &&
	       m->start == prev->end && !strcmp(m->perms, "rw-p");
}

/* The lines kept, into body; their count. */
static uint32_t kept_lines(FILE *maps, FILE *body)
{
	struct previous prev = { .path = "" };
	char *line = NULL;
	size_t alloc = 0;
	uint32_t nr = 0;

	while (getline(&line, &alloc, maps) > 0) {
		struct mapping m;

		if (!parse_line(line, &m)) {
			prev.path[0] = '\0';
			continue;
		}
		if (m.path[0] == '/' && representable(m.path)) {
			strcpy(prev.path, m.path);
			prev.writable = !strcmp(m.perms, "rw-p");
		} else if (!is_bss(&m, &prev)) {
			prev.path[0] = '\0';
			continue;
		}
		prev.end = m.end;
		fprintf(body, "%llx %llx %s\n", m.start, m.end, prev.path);
		nr++;
	}
	free(line);
	return nr;
}

void lg_proc_maps_parse(struct lg_proc_maps *pm, int pid, const char *exe, FILE *maps)
{
	char *body = NULL, *name = lg_xstrdup(*exe ? exe : "?");
	size_t body_size = 0;
	FILE *f = open_memstream(&body, &body_size);
	uint32_t nr;
	int len;

	if (!f)
		abort();
	nr = kept_lines(maps, f);
	fclose(f);
	for (char *p = name; *p; p++)
		if (isspace((unsigned char)*p))
			*p = '?';
	if (strlen(name) > LINE_MAX_BYTES - 2 * 8 - 2)
		name[LINE_MAX_BYTES - 2 * 8 - 2] = '\0';
	lg_proc_maps_release(pm);
	len = asprintf(&pm->text, "%x %x %s\n%s", (unsigned)pid, nr, name, body);
	if (len < 0)
		abort();
	pm->size = len + 1;
	pm->nr = nr;
	pm->pid = pid;
	free(body);
	free(name);
}

bool lg_proc_maps_read(struct lg_proc_maps *pm, int pid)
{
	struct lg_proc_maps now = { 0 };
	char path[64], exe[PATH_MAX];
	ssize_t n;
	FILE *maps;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (!(maps = fopen(path, "re")))
		return false;
	lg_proc_maps_parse(&now, pid, exe, maps);
	fclose(maps);
	if (!now.nr) {
		lg_proc_maps_release(&now);
		return false;
	}
	lg_proc_maps_release(pm);
	*pm = now;
	return true;
}

void lg_proc_maps_release(struct lg_proc_maps *pm)
{
	free(pm->text);
	*pm = (struct lg_proc_maps){ 0 };
}
