/* JSON documents lockgraph writes and reads back (graph files), through
 * jansson: names and addresses written so that nothing changes on the way,
 * and every member read checked, the first refusal kept with its place. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockgraph/lib/json_io.h"
#include "lockgraph/lib/util.h"

bool lg_json_bad(struct lg_json_reader *r, const char *key, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (r->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	r->failed = true;
	if (!*r->where && !key)
		lg_fail(r->err, EINVAL, "%s: %s", r->path, what);
	else
		lg_fail(r->err, EINVAL, "%s: %s%s%s: %s", r->path, r->where,
			*r->where && key ? "." : "", key ? key : "", what);
	return false;
}

size_t lg_json_push(struct lg_json_reader *r, const char *fmt, ...)
{
	size_t len = strlen(r->where);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->where + len, sizeof(r->where) - len, fmt + (!len && *fmt == '.'), ap);
	va_end(ap);
	return len;
}

void lg_json_pop(struct lg_json_reader *r, size_t len)
{
	r->where[len] = '\0';
}

json_t *lg_json_member(struct lg_json_reader *r, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		lg_json_bad(r, key, "missing");
	return v;
}

bool lg_json_uint(struct lg_json_reader *r, json_t *obj, const char *key, uint64_t max,
		  uint64_t *out)
{
	json_t *v = lg_json_member(r, obj, key);

	if (!v)
		return false;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return lg_json_bad(r, key, "expected an integer from 0 to %" PRIu64, max);
	*out = json_integer_value(v);
	return true;
}

bool lg_json_bool(struct lg_json_reader *r, json_t *obj, const char *key, bool *out)
{
	json_t *v = lg_json_member(r, obj, key);

	if (v && !json_is_boolean(v))
		return lg_json_bad(r, key, "expected true or false");
	*out = v && json_is_true(v);
	return v;
}

json_t *lg_json_array(struct lg_json_reader *r, json_t *obj, const char *key, size_t max)
{
	json_t *v = lg_json_member(r, obj, key);

	if (v && !json_is_array(v))
		return lg_json_bad(r, key, "expected an array"), NULL;
	if (v && json_array_size(v) > max)
		return lg_json_bad(r, key, "more than %zu entries", max), NULL;
	return v;
}

json_t *lg_json_name_new(const char *s)
{
	json_t *j = json_string(s);
	char *hex;

	if (j)
		return j;
	hex = lg_xmalloc(2 * strlen(s) + 1);
	for (size_t i = 0; s[i]; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
	j = json_pack("{s:s}", "hex", hex);
	free(hex);
	return j;
}

json_t *lg_json_addr_new(uint64_t addr)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, addr);
	return json_string(buf);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool lg_json_name_value(struct lg_json_reader *r, json_t *v, const char *key, bool nullable,
			char **out)
{
	json_t *hex = json_object_get(v, "hex");
	const char *h = json_string_value(hex);
	size_t len = h ? strlen(h) : 0;

	*out = NULL;
	if (json_is_null(v) && nullable)
		return true;
	if (json_is_string(v)) {
		if (strlen(json_string_value(v)) != json_string_length(v))
			return lg_json_bad(r, key, "a NUL in a name");
		*out = lg_xstrdup(json_string_value(v));
		return true;
	}
	if (!json_is_object(v) || !h)
		return lg_json_bad(r, key, "expected a name (a string or {\"hex\": ...})");
	if (!len || len % 2)
		return lg_json_bad(r, key, "hex: expected pairs of hex digits");
	*out = lg_xmalloc(len / 2 + 1);
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hex_digit(h[2 * i]), lo = hex_digit(h[2 * i + 1]);

		if (hi < 0 || lo < 0 || !(hi | lo)) {
			free(*out);
			*out = NULL;
			return lg_json_bad(r, key, "hex: expected pairs of hex digits, not 00");
		}
		(*out)[i] = hi << 4 | lo;
	}
	(*out)[len / 2] = '\0';
	return true;
}

bool lg_json_name(struct lg_json_reader *r, json_t *obj, const char *key, bool nullable,
		  char **out)
{
	json_t *v = lg_json_member(r, obj, key);

	*out = NULL;
	return v && lg_json_name_value(r, v, key, nullable, out);
}

bool lg_json_name_buf(struct lg_json_reader *r, json_t *obj, const char *key, bool nullable,
		      char *buf, size_t size)
{
	char *s;

	if (!lg_json_name(r, obj, key, nullable, &s))
		return false;
	if (s && strlen(s) >= size) {
		free(s);
		return lg_json_bad(r, key, "longer than %zu bytes", size - 1);
	}
	snprintf(buf, size, "%s", s ? s : "");
	free(s);
	return true;
}

bool lg_json_addr(struct lg_json_reader *r, json_t *obj, const char *key, uint64_t *addr)
{
	json_t *v = lg_json_member(r, obj, key);
	const char *s = json_string_value(v);
	size_t len = s ? strlen(s) : 0;

	if (!v)
		return false;
	*addr = 0;
	if (len < 3 || len > 18 || s[0] != '0' || s[1] != 'x')
		return lg_json_bad(r, key, "expected an address \"0x...\"");
	for (size_t i = 2; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return lg_json_bad(r, key, "expected an address \"0x...\"");
		*addr = *addr << 4 | d;
	}
	return true;
}
