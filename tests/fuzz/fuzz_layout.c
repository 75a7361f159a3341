/* libFuzzer target: any bytes through lockgraph's own trace.dat checks, the
 * layout reader and the page scan, which run before libtracecmd sees a file
 * (fuzz_tracedat goes on into libtracecmd). A crash, leak, hang or sanitizer
 * report is a bug; an error return is the expected outcome. */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lockgraph/input/tracedat_layout.h"
#include "lockgraph/input/tracedat_pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.dat", 0);
	struct lg_tracedat_layout l;
	struct lg_tracedat_pages p = { 0 };
	struct lg_error err;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size &&
	    !lg_tracedat_layout_read(&l, fd, "fuzz", &err)) {
		if (l.version == 6 && l.commit_size)
			lg_tracedat_pages_scan(&p, &l, fd, "fuzz", "", &err);
		lg_tracedat_pages_release(&p);
		lg_tracedat_layout_release(&l);
	}
	close(fd);
	return 0;
}
