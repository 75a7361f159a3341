/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The ioctl of /dev/lgscen, the lab module's misc device, shared by the module
 * and the reproducers of lab/repro/: amdgpu's GEM_USERPTR, as far as the lab needs.
 */
#ifndef LGSCEN_UAPI_H
#define LGSCEN_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* drm_amdgpu_gem_userptr's layout; REGISTER is the only flag, and required */
struct lgscen_userptr {
	__u64 addr;
	__u64 size;
	__u32 flags;
	__u32 handle;
};

#define LGSCEN_USERPTR_REGISTER	(1 << 3)
#define LGSCEN_IOCTL_USERPTR	_IOWR('d', 0x40 + 0x11, struct lgscen_userptr)

#endif
