# privilege: a process without CAP_NET_ADMIN cannot open a PF_RING socket (EPERM).
need_module
pfe2e unpriv || fail "unprivileged socket not refused"
pass
