/* ELF look-ups for user-space probes: which file defines a program's pthread
 * functions, and where in that file a function starts, as uprobe_events wants it
 * ("p:grp/ev /lib/x86_64-linux-gnu/libc.so.6:0x8c370"); and for naming user
 * locks: how a file is laid out in memory, and which data symbol covers an address.
 *
 * These functions only read files (and run the program's dynamic loader in its
 * --list mode); they never load the ELF files into this process. Garbage input
 * (not ELF, truncated, corrupt tables) gives a negative errno and a message
 * naming the file, never a crash. */
#ifndef LOCKGRAPH_ELF_SYMBOLS_H
#define LOCKGRAPH_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lockgraph/lib/error.h"

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

/* The PT_LOAD segments of an ELF file, in program header order: what the loader
 * maps, each segment from the page holding vaddr (file offset likewise) on. */
#define LG_ELF_MAX_LOADS 16
struct lg_elf_load {
	uint64_t vaddr, memsz;		/* memsz past filesz: zeroed (.bss) */
	uint64_t offset, filesz;
};
struct lg_elf_loads {
	bool dynamic;	/* ET_DYN: loaded wherever, at vaddr + a bias; ET_EXEC: at vaddr */
	uint32_t nr;
	struct lg_elf_load v[LG_ELF_MAX_LOADS];
};

/* Fill loads from the file at path: 0, or a negative errno with a message
 * (-ENOEXEC for a file that is not a program or shared library, is corrupt, has
 * no PT_LOAD or more than LG_ELF_MAX_LOADS). */
int lg_elf_loads(const char *path, struct lg_elf_loads *loads, struct lg_error *err);

/*
 * The data symbol (STT_OBJECT of some size, defined, not absolute) of the ELF
 * file at path that covers vaddr, an address as the file's headers count them
 * (not the process's), from .symtab if any of its symbols covers vaddr, else
 * .dynsym. Its name, without a "@VERSION" suffix, goes into name (len bytes
 * with the NUL), how far into it vaddr lies into *offset (a lock inside a
 * global array or struct is at a non-zero offset), its size into *size (the
 * other locks in it). Of several symbols covering vaddr, the smallest wins,
 * then fewer leading underscores, then global over weak over local, then the
 * first in strcmp order. Returns 0, -ENOENT when no symbol covers vaddr,
 * -ENAMETOOLONG when the name does not fit, or the errors of
 * lg_elf_function_offset for unreadable or corrupt files.
 */
int lg_elf_object_symbol(const char *path, uint64_t vaddr, char *name, size_t len,
			 uint64_t *offset, uint64_t *size, struct lg_error *err);

#endif
