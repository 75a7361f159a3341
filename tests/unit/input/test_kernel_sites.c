/* Call sites as lockdep's %pS prints them, from a trace.dat's kallsyms. */
#include <string.h>

#include <traceevent/event-parse.h>

#include "lockgraph/input/event.h"
#include "lockgraph/input/kernel_sites.h"
#include "unit.h"

/* Three symbols of a module and the kernel's, as /proc/kallsyms lists them */
static const char kallsyms[] =
	"ffffffff81100000 T lock_acquire\n"
	"ffffffff81100200 T lock_release\n"
	"ffffffffa000a000 t svmm_invalidate\t[lgscen]\n"
	"ffffffffa000a05b t lgscen_run\t[lgscen]\n";

static const char *site(struct lg_strtab *names, uint32_t ref)
{
	return lg_strtab_str(names, lg_site_name(ref));
}

START_TEST(an_address_is_function_offset_and_size_up_to_the_next_symbol)
{
	struct lg_strtab *names = lg_strtab_new();
	struct tep_handle *tep = tep_alloc();
	struct lg_kernel_sites ks;
	uint32_t a, b;

	ck_assert_int_eq(tep_parse_kallsyms(tep, kallsyms), 0);
	lg_kernel_sites_init(&ks, names);
	a = lg_kernel_site(&ks, tep, 0xffffffffa000a03f);
	ck_assert_str_eq(site(names, a), "svmm_invalidate+0x3f/0x5b");
	ck_assert_str_eq(site(names, lg_kernel_site(&ks, tep, 0xffffffff8110001a)),
			 "lock_acquire+0x1a/0x200");
	/* looked up once: the same address is the same site */
	ck_assert_uint_eq(lg_kernel_site(&ks, tep, 0xffffffffa000a03f), a);
	/* below every symbol: the address; none at all: no site */
	b = lg_kernel_site(&ks, tep, 0x1000);
	ck_assert_str_eq(site(names, b), "0x1000");
	ck_assert_uint_eq(lg_kernel_site(&ks, tep, 0), LG_SITE_UNKNOWN);
	lg_kernel_sites_release(&ks);
	tep_free(tep);
	lg_strtab_free(names);
}
END_TEST

START_TEST(without_kallsyms_an_address_is_printed_in_hex)
{
	struct lg_strtab *names = lg_strtab_new();
	struct lg_kernel_sites ks;

	lg_kernel_sites_init(&ks, names);
	ck_assert_str_eq(site(names, lg_kernel_site(&ks, NULL, 0xffffffffa000a03f)),
			 "0xffffffffa000a03f");
	lg_kernel_sites_release(&ks);
	lg_strtab_free(names);
}
END_TEST

Suite *kernel_sites_suite(void)
{
	Suite *s = suite_create("kernel_sites");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, an_address_is_function_offset_and_size_up_to_the_next_symbol);
	tcase_add_test(tc, without_kallsyms_an_address_is_printed_in_hex);
	suite_add_tcase(s, tc);
	return s;
}
