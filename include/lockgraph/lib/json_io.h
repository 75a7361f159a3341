/* JSON documents lockgraph writes and reads back (graph files), through
 * jansson. A name is a string, or {"hex": "..."} of its bytes where they are
 * not UTF-8, so that none changes on the way; an address is "0x...". A read
 * checks every member and keeps the first refusal with the member's place:
 * "FILE: dependencies[3].first.held[0].class: expected a name"; once one
 * failed, every call returns false. */
#ifndef LOCKGRAPH_JSON_IO_H
#define LOCKGRAPH_JSON_IO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lockgraph/lib/error.h"

json_t *lg_json_name_new(const char *s);
json_t *lg_json_addr_new(uint64_t addr);

struct lg_json_reader {
	const char *path;	/* the file, for messages */
	struct lg_error *err;
	bool failed;
	char where[256];	/* the member being read */
};

/* Refuse key of the member being read (key NULL: the member itself): false. */
bool lg_json_bad(struct lg_json_reader *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Descend into a member ("dependencies[3]", then ".first"): the length of
 * the place before, to go back to with lg_json_pop(). */
size_t lg_json_push(struct lg_json_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lg_json_pop(struct lg_json_reader *r, size_t len);

/* obj's member key, refused if missing: NULL then. */
json_t *lg_json_member(struct lg_json_reader *r, json_t *obj, const char *key);
/* An integer from 0 to max. */
bool lg_json_uint(struct lg_json_reader *r, json_t *obj, const char *key, uint64_t max,
		  uint64_t *out);
/* The same into a narrower field. */
#define LG_JSON_UINT(r, obj, key, field, max)					\
	({ uint64_t v_ = 0; bool ok_ = lg_json_uint(r, obj, key, max, &v_); (field) = v_; ok_; })
bool lg_json_bool(struct lg_json_reader *r, json_t *obj, const char *key, bool *out);
/* An array of max entries at most, or NULL. */
json_t *lg_json_array(struct lg_json_reader *r, json_t *obj, const char *key, size_t max);
/* A name (v itself, or obj's member key) into *out, the caller's to free;
 * *out NULL where it is null and may be (nullable). */
bool lg_json_name_value(struct lg_json_reader *r, json_t *v, const char *key, bool nullable,
			char **out);
bool lg_json_name(struct lg_json_reader *r, json_t *obj, const char *key, bool nullable,
		  char **out);
/* A name into buf, refused if it does not fit; "" for a null one. */
bool lg_json_name_buf(struct lg_json_reader *r, json_t *obj, const char *key, bool nullable,
		      char *buf, size_t size);
bool lg_json_addr(struct lg_json_reader *r, json_t *obj, const char *key, uint64_t *addr);

#endif
