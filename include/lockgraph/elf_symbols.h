/* ELF look-ups for user-space probes: which file defines a program's pthread
 * functions, and where in that file a function starts, as uprobe_events wants it
 * ("p:grp/ev /lib/x86_64-linux-gnu/libc.so.6:0x8c370").
 *
 * Both functions only read files (and run the program's dynamic loader in its
 * --list mode); they never load the ELF files into this process. Garbage input
 * (not ELF, truncated, corrupt tables) gives a negative errno and a message
 * naming the file, never a crash. */
#ifndef LOCKGRAPH_ELF_SYMBOLS_H
#define LOCKGRAPH_ELF_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "lockgraph/error.h"

/* The ELF file whose pthread functions COMMAND calls: the libc.so the dynamic
 * loader resolves for it, or COMMAND itself when it is statically linked and
 * defines pthread_mutex_lock. command is a path (no PATH search here).
 *
 * A dynamic COMMAND is resolved as ldd does, by running its PT_INTERP with
 * --list (the environment, hence LD_LIBRARY_PATH and LD_PRELOAD, is inherited),
 * so the answer is the file COMMAND would really load. The path is written as
 * the loader (or the caller, for a static COMMAND) spelled it. Returns 0;
 * -ENOENT when no libc is listed or a static COMMAND lacks pthread_mutex_lock;
 * -ENAMETOOLONG when the path does not fit in len; another negative errno for
 * unreadable or malformed files or a loader that cannot run. */
int lg_elf_pthread_object(const char *command, char *path, size_t len,
			  struct lg_error *err);

/* The file offset of the function symbol `name` defined in the ELF file at path,
 * for a uprobe: from .symtab when the file has one, else .dynsym; among
 * versioned duplicates (glibc's pthread_cond_wait@GLIBC_2.2.5 vs
 * pthread_cond_wait@@GLIBC_2.3.2) the default version (not hidden in
 * .gnu.version); the symbol's address turned into a file offset through the
 * PT_LOAD segment that contains it. name carries no version. Global or weak
 * STT_FUNC definitions count, else a single local (static) function of that
 * name in .symtab; imports and data do not, nor do
 * IFUNCs (their address is the resolver's), nor a name with no default version.
 * Returns 0, -ENOENT (with a message) when the symbol is not defined (or, as
 * open(2) says, the file does not exist: the message tells), -ENOEXEC for a file
 * that is not ELF or is truncated or corrupt, or another negative errno. */
int lg_elf_function_offset(const char *path, const char *name, uint64_t *offset,
			   struct lg_error *err);

#endif
