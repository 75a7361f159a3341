/* lockgraph's entry point: a table from command name to the function that runs
 * it, as trace-cmd and git do. */
#include <stdio.h>
#include <string.h>

#include "lockgraph/commands.h"

#ifndef LG_VERSION
#define LG_VERSION "0.1"
#endif

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "record", lg_cmd_record, "record lock events while a command runs, into a trace.dat" },
	{ "analyze", lg_cmd_analyze, "replay lock traces and report lock-order problems" },
};

static int usage(FILE *out, int status)
{
	fprintf(out, "usage: lockgraph <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nSee lockgraph(1) and lockgraph-<command>(1).\n");
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr, LG_EXIT_ERROR);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return usage(stdout, LG_EXIT_CLEAN);
	if (!strcmp(argv[1], "--version")) {
		printf("lockgraph %s\n", LG_VERSION);
		return LG_EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "lockgraph: '%s' is not a command\n", argv[1]);
	return usage(stderr, LG_EXIT_ERROR);
}
