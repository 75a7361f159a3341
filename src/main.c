/* lockgraph's entry point: a table from command name to the function that runs
 * it, as trace-cmd and git do, with git's help, version and "did you mean". */
#include <stdio.h>
#include <string.h>

#include "lockgraph/commands.h"
#include "lockgraph/lib/cli.h"

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
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int usage(FILE *out, int status)
{
	fprintf(out, "usage: lockgraph <command> [options]\n"
		"       lockgraph help <command> | <command> --help\n"
		"       lockgraph version | -V | --version\n\ncommands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nSee lockgraph(1) and lockgraph-<command>(1).\n");
	return status;
}

/* The command of that name, or NULL having said which it may have meant. */
static const struct command *command_named(const char *name)
{
	const char *names[NR_COMMANDS], *closest;

	for (size_t i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(name, commands[i].name))
			return &commands[i];
		names[i] = commands[i].name;
	}
	closest = lg_cli_closest(name, names, NR_COMMANDS);
	if (closest)
		fprintf(stderr, "lockgraph: '%s' is not a command (did you mean '%s'?)\n", name,
			closest);
	else
		fprintf(stderr, "lockgraph: '%s' is not a command (lockgraph --help lists "
			"them)\n", name);
	return NULL;
}

/* lockgraph help [COMMAND]: the list, or the command's --help */
static int help(int argc, char **argv)
{
	char *args[] = { argv[1], "--help", NULL };
	const struct command *c;

	if (argc < 2)
		return usage(stdout, LG_EXIT_CLEAN);
	c = command_named(argv[1]);
	return c ? c->run(2, args) : LG_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return usage(stderr, LG_EXIT_ERROR);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout, LG_EXIT_CLEAN);
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "version")) {
		printf("lockgraph %s\n", LG_VERSION);
		return LG_EXIT_CLEAN;
	}
	c = command_named(argv[1]);
	return c ? c->run(argc - 1, argv + 1) : LG_EXIT_ERROR;
}
