#ifndef GATEWAY_CSYSTEM_SHIM_H
#define GATEWAY_CSYSTEM_SHIM_H
// Glibc's Swift module does not export these; the event loop needs them.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/tcp.h>
#include <malloc.h>

// accept4(2) is declared by glibc only under _GNU_SOURCE; declare it for Swift.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
// pipe2(2) likewise (tests use it to give a spawned child a close-on-exec pipe).
extern int pipe2(int pipefd[2], int flags);
#endif
