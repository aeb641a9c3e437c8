/*
 * core/errors.h - core's return codes: negative errno values, so the kernel
 * module returns them from setsockopt() unchanged and the library maps them to
 * PF_RING_ERROR_* (backends/).
 */
#ifndef PF_CORE_ERRORS_H
#define PF_CORE_ERRORS_H

#define PF_ENOENT   2   /* no such rule; a plugin not registered, or going away */
#define PF_E2BIG    7   /* too large (program, rule field, packet) */
#define PF_ENOMEM   12  /* the home could not allocate */
#define PF_EEXIST   17  /* a rule with this id / key exists */
#define PF_EINVAL   22  /* invalid argument */
#define PF_ENOSPC   28  /* table or ring full */
#define PF_EPROTO   71  /* version or ABI mismatch */
#define PF_EBADMSG  74  /* corrupt shared data (a ring written by a buggy or hostile peer) */
#define PF_ENOTSUP  95  /* not supported here */

#endif /* PF_CORE_ERRORS_H */
