/* libFuzzer target: any bytes as a trace.dat, through libtracecmd, the
 * trace.dat reader and the whole analysis. The bytes go to a memfd since
 * libtracecmd opens files by name. */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lockgraph/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.dat", 0);
	struct lg_analysis a;
	struct lg_error err;
	char path[64];

	if (fd < 0)
		return 0;
	lg_analysis_init(&a);
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (!lg_analysis_add_file(&a, path, &err))
			lg_analysis_detect(&a);
	}
	lg_analysis_release(&a);
	close(fd);
	return 0;
}
