/*
 * tools/lib/devlist.h - the comma-separated device lists of -i (5.4.6's
 * cluster tools), where a sim: device's options may hold commas themselves
 * ("sim:a?gen=flows:10,size:64"): inside the options, a comma starts the next
 * device only when what follows names one (a known prefix such as "sim:" or
 * "dna:", or a plain interface name without ':').
 */
#ifndef PF_TOOL_DEVLIST_H
#define PF_TOOL_DEVLIST_H

/* The next device of the list at *cursor, cut in place (the list is the
 * caller's, modified); NULL at the end. *cursor moves past it. */
char *devlist_next(char **cursor);

#endif /* PF_TOOL_DEVLIST_H */
