/* The single place error messages are formatted; main() prints them and exits 2. */
#include <stdarg.h>
#include <stdio.h>

#include "lockgraph/lib/error.h"

int lg_fail(struct lg_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -errnum;
}
