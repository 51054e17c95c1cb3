#ifndef LOADGEN_CLOADSYSTEM_SHIM_H
#define LOADGEN_CLOADSYSTEM_SHIM_H
// What the load generator needs beyond Glibc's Swift module: epoll, rlimits, TCP options,
// and OpenSSL's one-shot HMAC for minting HS256 tokens.
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#endif
