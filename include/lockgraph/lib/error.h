/* Error reporting: functions return 0 or a negative errno and leave one line in a
 * struct lg_error saying which file, which position and what was expected. */
#ifndef LOCKGRAPH_ERROR_H
#define LOCKGRAPH_ERROR_H

struct lg_error {
	char msg[1024];
};

/* Format the message into err and return -errnum. */
int lg_fail(struct lg_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
