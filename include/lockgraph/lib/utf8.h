/* Traces are not guaranteed UTF-8 (class names, comms): what the reporters
 * whose formats must be (XML, DOT) check byte by byte. */
#ifndef LOCKGRAPH_UTF8_H
#define LOCKGRAPH_UTF8_H

#include <stddef.h>

/* The length of the UTF-8 character at s (left bytes there), or 0 when it is
 * not one: malformed, overlong, a surrogate, above U+10FFFF, or the
 * noncharacters U+FFFE and U+FFFF. A control character is one (callers that
 * cannot hold it check s[0] < 0x20). */
size_t lg_utf8_char(const char *s, size_t left);

#endif
