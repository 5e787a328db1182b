/*
 * A UDP socket that receives and sends datagrams in batches (Linux recvmmsg(2) / sendmmsg(2)),
 * for the server's plain CoAP port (issue 17: syscalls and JavaScript calls per datagram).
 *
 * Why it exists: node:dgram costs one recvmsg, one JavaScript 'message' event with a new rinfo
 * object and Buffer, and on the way back a chain of JavaScript calls (lookup, async-id scope,
 * send wrap) and one sendmsg per datagram. Under load, several datagrams wait in the socket at
 * once; this module takes up to BATCH of them with one recvmmsg, hands them to JavaScript in one
 * call (one Buffer holding them all and an Int32Array of where each came from), and sends what
 * JavaScript queued meanwhile with one sendmmsg. A readable event reads at most ROUNDS batches,
 * and no more once ROUNDS_BUDGET_NS has passed; while datagrams are large (over LARGE bytes on
 * average) a batch is LARGE_BATCH of them: what JavaScript does with datagrams in one call holds
 * the event loop, and large ones cost it most.
 *
 * The socket is polled on the Node event loop (uv_poll on the descriptor). The batch callback runs
 * through napi_make_callback, so promise jobs and process.nextTick callbacks it queues run before
 * it returns (as after any dgram event). Sending runs on the event loop too, unless the socket is
 * opened with sendThread: then send() copies the batch into a job for a thread of the socket's own,
 * which runs the sendmmsg calls, and returns at once. On loopback and fast links sendmmsg is most
 * of a server's system time (the kernel delivers each datagram to its receiver within the call):
 * about a quarter of the server's CPU per Read in the socket benchmark, which the event loop no
 * longer pays (issue 17). Batches leave in the order they were queued. At most SENDER_MAX_BYTES
 * wait for the thread; past that a batch is dropped, as a congested link would drop it. close()
 * lets the thread send what was queued before it, then ends the thread, then closes the descriptor.
 *
 * Calls (all synchronous, every argument checked; a bad argument throws a TypeError):
 *   open(ipv6, address, port, v6only, onBatch, localAddresses?, sendThread?) -> [handle, boundPort, threaded]
 *     threaded: whether a sender thread runs (asked for with sendThread, and the system started one).
 *     onBatch(data: Buffer, meta: Int32Array, count: number): datagram i is data[off..off+len),
 *     offsets running on from 0; meta[8i..8i+8) = len, port, family (4|6), address words a0..a3
 *     (IPv4: a0 is the address in host order as an int32; IPv6: the 16 bytes as four big-endian
 *     words), then the local IPv4 address the datagram was sent to (host order; 0 when unknown).
 *     An IPv4-mapped address on a dual-stack socket is reported as IPv4. `data` is new for each
 *     batch; `meta` is the same array every time (its first 8 * count words are this batch's), to
 *     be read during the call only. Its last word (meta[8 * BATCH]) counts the datagrams the
 *     kernel dropped since the socket opened because its receive buffer was full (SO_RXQ_OVFL,
 *     socket(7): the kernel's count as of the batch's last datagram, an unsigned 32-bit number
 *     stored in an int32; it wraps).
 *     With localAddresses (IPv4 sockets only; IP_PKTINFO, ip(7)), the local address is reported,
 *     so one socket bound to 0.0.0.0 can stand for many (address, port) pairs, and send() may pick
 *     each datagram's source address.
 *     Throws an Error whose code is the errno name (EADDRINUSE, EACCES...) when it cannot bind.
 *   send(handle, data: Uint8Array, meta: Int32Array, count) -> datagrams sent
 *     datagram i is data[offset, offset + length); meta[9i..9i+9) = port, family, a0..a3 as
 *     above, then the IPv4 source address (host order; 0 lets the kernel choose; used only on a
 *     socket opened with localAddresses), offset, length. One buffer for the whole batch: a small
 *     Uint8Array of its own keeps its bytes on V8's heap, and reading its address from C makes V8
 *     move them to a new off-heap allocation first (malloc, an ArrayBuffer object, a free at the
 *     next GC: about 1.4 us per datagram measured here, more than the rest of a send). Datagrams the
 *     kernel refuses (a full send buffer, an unreachable address, a source that is not local) are
 *     dropped, as the network may drop them: the return value tells how many went, and CoAP's
 *     retransmission covers the rest (RFC 7252 4.2). With a sender thread it tells how many were
 *     queued for it; what the thread then could not send is counted by sendDrops().
 *   sendDrops(handle) -> datagrams the sender thread could not send or dropped for a full queue,
 *     since the socket opened (0 without a thread, or once closed).
 *   receiveBuffer(handle, bytes) -> the receive buffer's size as the kernel reports it (SO_RCVBUF)
 *     bytes > 0 asks for that size first (Linux doubles it for its bookkeeping, after capping it
 *     at net.core.rmem_max); 0 only reads it. Throws an Error with the errno name if refused.
 *   close(handle, onClosed?) -> the sender thread's final sendDrops (0 without one): stops receiving
 *     at once; a sender thread sends what was queued and ends first; the descriptor is closed (and
 *     onClosed called) once the event loop has released the poll handle. A second call does nothing
 *     (its onClosed is not called) and returns 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

/* datagrams per recvmmsg / sendmmsg call */
#define BATCH 64
/* every slot holds the largest UDP payload, so no datagram is ever truncated */
#define SLOT (64 * 1024)
/* recvmmsg rounds per readable event before yielding to the rest of the event loop */
#define ROUNDS 8
/* ... and the time they may take: past it, what waits is read on the loop's next turn, after
   timers and other I/O (with a few MiB of receive buffer, thousands of datagrams can wait) */
#define ROUNDS_BUDGET_NS (10u * 1000u * 1000u)
/* datagrams per recvmmsg while they average more than LARGE bytes: a large datagram (a 60 kB
   Register) costs JavaScript milliseconds, and 64 of them in one call held the loop 130 ms */
#define LARGE 4096
#define LARGE_BATCH 8
#define RECV_META 8
/* bytes a sender thread may have queued (batches and their meta): past it new batches are
   dropped (one batch is taken whatever its size when nothing waits) */
#define SENDER_MAX_BYTES (8u * 1024u * 1024u)
#define SEND_META 9
/* what exports.abi says: the calling convention above (a stale build with another is not used) */
#define ABI 4
/* room for the control messages of a datagram: IP_PKTINFO and SO_RXQ_OVFL's drop count */
#define CONTROL (CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(uint32_t)))
/* meta words handed to onBatch: RECV_META per datagram, then the drop count */
#define META_WORDS (BATCH * RECV_META + 1)

typedef struct Handle Handle;

/* A batch handed to a sender thread: meta (SEND_META words per datagram, offsets into `bytes`),
   then the bytes, copied out of JavaScript's staging buffer so that it is free again at once. */
typedef struct Job {
  struct Job *next;
  int count;
  int32_t meta[];
} Job;

/* The sender thread of a socket opened with sendThread: it runs sendmmsg for the batches
   JavaScript queues, off the event loop (see the header). The thread reads only this struct and
   the jobs, never the Sock. */
typedef struct Sender {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  Job *head, *tail;
  /* bytes of the queued jobs (bounded by SENDER_MAX_BYTES) */
  size_t queued;
  /* the thread waits on cv (it is signalled only then) */
  int waiting;
  int stop;
  int fd;
  int ipv6;
  int pktinfo;
  /* datagrams the thread could not send, or dropped for a full queue (read with __atomic_load_n) */
  uint64_t dropped;
} Sender;

typedef struct Sock {
  uv_poll_t poll; /* first: a uv_handle_t* of the poll is the Sock* */
  napi_env env;
  Handle *handle;
  napi_ref onBatch;
  /* the Int32Array handed to onBatch as meta, reused by every batch (see receive_round) */
  napi_ref metaArray;
  /* close(handle, onClosed): called once the descriptor is closed */
  napi_ref onClosed;
  napi_async_context context;
  int fd;
  int ipv6;
  /* IP_PKTINFO on: local addresses reported, source addresses chosen */
  int pktinfo;
  int closed;
  /* the last recvmmsg's datagrams averaged more than LARGE bytes: read LARGE_BATCH at a time */
  int large;
  /* the sender thread (open's sendThread), else NULL: send() calls sendmmsg itself */
  Sender *sender;
  /* its drop count when it ended (close() returns it) */
  uint64_t senderDropped;
  unsigned char *buffer;
  struct mmsghdr recv[BATCH];
  struct iovec recvIov[BATCH];
  struct sockaddr_in6 recvFrom[BATCH];
  /* control messages (IP_PKTINFO, SO_RXQ_OVFL), 8-byte aligned */
  uint64_t recvControl[BATCH][(CONTROL + 7) / 8];
  /* datagrams the kernel dropped for a full receive buffer, as of the last one read (SO_RXQ_OVFL) */
  uint32_t drops;
  int32_t meta[BATCH * RECV_META];
} Sock;

/* What JavaScript holds: outlives the socket (then `sock` is NULL), freed when collected. */
struct Handle {
  Sock *sock;
};

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static napi_value throw_errno(napi_env env, const char *what, int err) {
  const char *code = "EUNKNOWN";
  switch (err) {
    case EADDRINUSE: code = "EADDRINUSE"; break;
    case EADDRNOTAVAIL: code = "EADDRNOTAVAIL"; break;
    case EACCES: code = "EACCES"; break;
    case EAFNOSUPPORT: code = "EAFNOSUPPORT"; break;
    case EINVAL: code = "EINVAL"; break;
    case EMFILE: code = "EMFILE"; break;
    case ENFILE: code = "ENFILE"; break;
    case ENOMEM: code = "ENOMEM"; break;
    case EBADF: code = "EBADF"; break;
    case EPERM: code = "EPERM"; break;
  }
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  napi_throw_error(env, code, message);
  return NULL;
}

/* The destination of a queued datagram; returns its length, 0 when meta names no family we send to. */
static socklen_t destination(int ipv6, const int32_t *m, struct sockaddr_in6 *to) {
  memset(to, 0, sizeof *to);
  if (m[0] < 0 || m[0] > 65535) return 0;
  if (m[1] == 4 && !ipv6) {
    struct sockaddr_in *v4 = (struct sockaddr_in *)to;
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)m[0]);
    v4->sin_addr.s_addr = htonl((uint32_t)m[2]);
    return sizeof *v4;
  }
  if (!ipv6 || (m[1] != 4 && m[1] != 6)) return 0;
  to->sin6_family = AF_INET6;
  to->sin6_port = htons((uint16_t)m[0]);
  unsigned char *a = to->sin6_addr.s6_addr;
  if (m[1] == 4) {
    /* an IPv4 peer of a dual-stack socket: ::ffff:a.b.c.d */
    a[10] = a[11] = 0xff;
    uint32_t v = (uint32_t)m[2];
    a[12] = v >> 24, a[13] = v >> 16, a[14] = v >> 8, a[15] = v;
  } else {
    for (int w = 0; w < 4; w++) {
      uint32_t v = (uint32_t)m[2 + w];
      a[4 * w] = v >> 24, a[4 * w + 1] = v >> 16, a[4 * w + 2] = v >> 8, a[4 * w + 3] = v;
    }
  }
  return sizeof *to;
}

/* Sends `count` queued datagrams (SEND_META words each in meta, bytes in data) with as few
   sendmmsg calls as BATCH allows; returns how many the kernel took. */
static int send_batch(int fd, int ipv6, int pktinfo, const unsigned char *data, const int32_t *meta, int count) {
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct sockaddr_in6 to[BATCH];
  uint64_t control[BATCH][(CONTROL + 7) / 8];
  int sent = 0;
  int at = 0;
  while (at < count) {
    /* gather the next batch (skipping datagrams with no usable destination) */
    int n = 0;
    while (at < count && n < BATCH) {
      const int32_t *m = meta + (size_t)at * SEND_META;
      socklen_t toLength = destination(ipv6, m, &to[n]);
      at++;
      if (toLength == 0) continue;
      iov[n].iov_base = m[8] ? (void *)(data + m[7]) : (void *)"";
      iov[n].iov_len = (size_t)m[8];
      memset(&msgs[n].msg_hdr, 0, sizeof msgs[n].msg_hdr);
      msgs[n].msg_hdr.msg_iov = &iov[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
      msgs[n].msg_hdr.msg_name = &to[n];
      msgs[n].msg_hdr.msg_namelen = toLength;
      int32_t source = m[6];
      if (pktinfo && source != 0) {
        /* ip(7) IP_PKTINFO: ipi_spec_dst is the source address of this datagram */
        memset(control[n], 0, sizeof control[n]);
        msgs[n].msg_hdr.msg_control = control[n];
        msgs[n].msg_hdr.msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
        struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[n].msg_hdr);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
        struct in_pktinfo info;
        memset(&info, 0, sizeof info);
        info.ipi_spec_dst.s_addr = htonl((uint32_t)source);
        memcpy(CMSG_DATA(c), &info, sizeof info);
      }
      n++;
    }
    int done = 0;
    while (done < n) {
      int r = sendmmsg(fd, msgs + done, (unsigned)(n - done), MSG_DONTWAIT);
      if (r > 0) {
        done += r;
        sent += r;
      } else if (r < 0 && errno == EINTR) {
        continue;
      } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
        /* the send buffer is full: what remains is dropped, as a congested link would */
        return sent;
      } else {
        done++; /* this datagram was refused (e.g. no route); the next ones may go */
      }
    }
  }
  return sent;
}

static void *sender_main(void *arg) {
  Sender *q = (Sender *)arg;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (q->head == NULL && !q->stop) {
      q->waiting = 1;
      pthread_cond_wait(&q->cv, &q->mu);
      q->waiting = 0;
    }
    Job *jobs = q->head;
    if (jobs == NULL) break; /* stopped, and everything queued before is sent */
    q->head = q->tail = NULL;
    q->queued = 0;
    pthread_mutex_unlock(&q->mu);
    while (jobs != NULL) {
      Job *next = jobs->next;
      const unsigned char *bytes = (const unsigned char *)(jobs->meta + (size_t)jobs->count * SEND_META);
      int sent = send_batch(q->fd, q->ipv6, q->pktinfo, bytes, jobs->meta, jobs->count);
      if (sent < jobs->count) __atomic_add_fetch(&q->dropped, (uint64_t)(jobs->count - sent), __ATOMIC_RELAXED);
      free(jobs);
      jobs = next;
    }
    pthread_mutex_lock(&q->mu);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

/* A sender thread for descriptor fd, or NULL when the system refuses one. */
static Sender *sender_start(int fd, int ipv6, int pktinfo) {
  Sender *q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->fd = fd;
  q->ipv6 = ipv6;
  q->pktinfo = pktinfo;
  if (pthread_mutex_init(&q->mu, NULL) != 0) {
    free(q);
    return NULL;
  }
  if (pthread_cond_init(&q->cv, NULL) != 0) {
    pthread_mutex_destroy(&q->mu);
    free(q);
    return NULL;
  }
  /* the thread blocks every signal (it inherits the mask it is created with): the process's
     signals, SIGINT and SIGTERM included, stay with Node's own threads */
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  int created = pthread_create(&q->thread, NULL, sender_main, q);
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  if (created != 0) {
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q);
    return NULL;
  }
  return q;
}

/* Lets the thread send what is queued, then ends it (before the descriptor is closed); returns
   its final drop count. */
static uint64_t sender_stop(Sender *q) {
  pthread_mutex_lock(&q->mu);
  q->stop = 1;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
  pthread_join(q->thread, NULL);
  uint64_t dropped = q->dropped;
  pthread_cond_destroy(&q->cv);
  pthread_mutex_destroy(&q->mu);
  free(q);
  return dropped;
}

/* Copies a batch for the thread; returns how many datagrams it took (0 when the queue is full). */
static int sender_enqueue(Sender *q, const unsigned char *data, const int32_t *meta, int count) {
  if (count == 0) return 0;
  size_t end = 0;
  for (int i = 0; i < count; i++) {
    const int32_t *m = meta + (size_t)i * SEND_META;
    size_t e = (size_t)m[7] + (size_t)m[8];
    if (e > end) end = e;
  }
  size_t metaBytes = (size_t)count * SEND_META * sizeof(int32_t);
  Job *job = malloc(sizeof *job + metaBytes + end);
  if (!job) {
    __atomic_add_fetch(&q->dropped, (uint64_t)count, __ATOMIC_RELAXED);
    return 0;
  }
  job->next = NULL;
  job->count = count;
  memcpy(job->meta, meta, metaBytes);
  memcpy((unsigned char *)job->meta + metaBytes, data, end);
  pthread_mutex_lock(&q->mu);
  if (q->queued > 0 && q->queued + end + metaBytes > SENDER_MAX_BYTES) {
    /* the thread is far behind (the machine is saturated): drop the batch, as a congested link
       would; CoAP retransmits what matters. A batch alone is always taken (JavaScript holds as
       much already), so a large one is not refused for its size. */
    pthread_mutex_unlock(&q->mu);
    free(job);
    __atomic_add_fetch(&q->dropped, (uint64_t)count, __ATOMIC_RELAXED);
    return 0;
  }
  if (q->tail) q->tail->next = job;
  else q->head = job;
  q->tail = job;
  q->queued += end + metaBytes;
  if (q->waiting) pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
  return count;
}

static void on_closed(uv_handle_t *handle) {
  Sock *s = (Sock *)handle;
  close(s->fd);
  free(s->buffer);
  if (s->onClosed) {
    napi_env env = s->env;
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) == napi_ok) {
      napi_value callback, recv, result;
      if (napi_get_reference_value(env, s->onClosed, &callback) == napi_ok && callback != NULL &&
          napi_get_global(env, &recv) == napi_ok &&
          napi_make_callback(env, s->context, recv, callback, 0, NULL, &result) == napi_pending_exception) {
        napi_value error;
        napi_get_and_clear_last_exception(env, &error);
        napi_fatal_exception(env, error);
      }
      napi_close_handle_scope(env, scope);
    }
    napi_delete_reference(env, s->onClosed);
  }
  if (s->context) napi_async_destroy(s->env, s->context);
  free(s);
}

/* Stops polling and releases the JavaScript references; the memory goes in on_closed. */
static void sock_close(Sock *s) {
  if (s->closed) return;
  s->closed = 1;
  if (s->sender) {
    /* what was queued before close() still leaves, before the descriptor is closed */
    Sender *q = s->sender;
    s->sender = NULL;
    s->senderDropped = sender_stop(q);
  }
  if (s->handle) s->handle->sock = NULL;
  s->handle = NULL;
  uv_poll_stop(&s->poll);
  if (s->onBatch) napi_delete_reference(s->env, s->onBatch);
  s->onBatch = NULL;
  if (s->metaArray) napi_delete_reference(s->env, s->metaArray);
  s->metaArray = NULL;
  uv_close((uv_handle_t *)&s->poll, on_closed);
}

static void cleanup_hook(void *arg) {
  Sock *s = (Sock *)arg;
  /* the environment is going away: no JavaScript to call or references to release, just the socket */
  s->onBatch = NULL;
  s->onClosed = NULL;
  s->metaArray = NULL;
  s->context = NULL;
  sock_close(s);
}

/* The local IPv4 address datagram j of the last recvmmsg was sent to (host order), 0 if unknown. */
static int32_t local_address(Sock *s, int j) {
  if (!s->pktinfo) return 0;
  struct msghdr *h = &s->recv[j].msg_hdr;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      return (int32_t)ntohl(info.ipi_addr.s_addr);
    }
  }
  return 0;
}

/* The kernel's drop count carried by datagram j of the last recvmmsg, if it carries one (it does
   once the socket has dropped something: socket(7), SO_RXQ_OVFL). */
static void note_drops(Sock *s, int j) {
  struct msghdr *h = &s->recv[j].msg_hdr;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
      memcpy(&s->drops, CMSG_DATA(c), sizeof s->drops);
      return;
    }
  }
}

/* Fills meta for datagram i (datagram j of the last recvmmsg); returns 0 for an address family we skip. */
static int describe(Sock *s, int i, int j, unsigned len) {
  int32_t *m = s->meta + i * RECV_META;
  const struct sockaddr_in6 *from = &s->recvFrom[j];
  m[0] = (int32_t)len;
  m[7] = local_address(s, j);
  if (from->sin6_family == AF_INET) {
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)from;
    m[1] = ntohs(v4->sin_port);
    m[2] = 4;
    m[3] = (int32_t)ntohl(v4->sin_addr.s_addr);
    m[4] = m[5] = m[6] = 0;
    return 1;
  }
  if (from->sin6_family != AF_INET6) return 0;
  const unsigned char *a = from->sin6_addr.s6_addr;
  m[1] = ntohs(from->sin6_port);
  if (IN6_IS_ADDR_V4MAPPED(&from->sin6_addr)) {
    m[2] = 4;
    m[3] = (int32_t)(((uint32_t)a[12] << 24) | ((uint32_t)a[13] << 16) | ((uint32_t)a[14] << 8) | a[15]);
    m[4] = m[5] = m[6] = 0;
    return 1;
  }
  m[2] = 6;
  for (int w = 0; w < 4; w++)
    m[3 + w] = (int32_t)(((uint32_t)a[4 * w] << 24) | ((uint32_t)a[4 * w + 1] << 16) |
                         ((uint32_t)a[4 * w + 2] << 8) | a[4 * w + 3]);
  return 1;
}

/* The reused meta array (made on first use, or again if detached): its data, NULL on failure. */
static int32_t *meta_array(Sock *s, napi_value *out) {
  napi_env env = s->env;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (s->metaArray && napi_get_reference_value(env, s->metaArray, out) == napi_ok && *out != NULL &&
      napi_get_typedarray_info(env, *out, &type, &length, &data, NULL, NULL) == napi_ok &&
      length == (size_t)META_WORDS && data != NULL)
    return (int32_t *)data;
  napi_value buffer;
  if (napi_create_arraybuffer(env, (size_t)META_WORDS * sizeof(int32_t), &data, &buffer) != napi_ok ||
      napi_create_typedarray(env, napi_int32_array, (size_t)META_WORDS, buffer, 0, out) != napi_ok)
    return NULL;
  if (s->metaArray) napi_delete_reference(env, s->metaArray);
  s->metaArray = NULL;
  if (napi_create_reference(env, *out, 1, &s->metaArray) != napi_ok) return NULL;
  return (int32_t *)data;
}

/* One recvmmsg round delivered to JavaScript; returns 1 when it read as many as it asked for
   (more may be waiting), else 0. */
static int receive_round(Sock *s) {
  const int want = s->large ? LARGE_BATCH : BATCH;
  for (int i = 0; i < want; i++) {
    s->recvIov[i].iov_base = s->buffer + (size_t)i * SLOT;
    s->recvIov[i].iov_len = SLOT;
    memset(&s->recv[i].msg_hdr, 0, sizeof s->recv[i].msg_hdr);
    s->recv[i].msg_hdr.msg_iov = &s->recvIov[i];
    s->recv[i].msg_hdr.msg_iovlen = 1;
    s->recv[i].msg_hdr.msg_name = &s->recvFrom[i];
    s->recv[i].msg_hdr.msg_namelen = sizeof s->recvFrom[i];
    s->recv[i].msg_hdr.msg_control = s->recvControl[i];
    s->recv[i].msg_hdr.msg_controllen = sizeof s->recvControl[i];
  }
  int n;
  do n = recvmmsg(s->fd, s->recv, (unsigned)want, MSG_DONTWAIT, NULL);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return 0;
  const int full = n == want;
  /* the count is cumulative: the last datagram's is the newest */
  note_drops(s, n - 1);

  /* the datagrams, packed one after another, and their sources */
  size_t total = 0, read = 0;
  int kept = 0;
  for (int i = 0; i < n; i++) {
    unsigned len = s->recv[i].msg_len;
    read += len;
    if (!describe(s, kept, i, len)) continue;
    if (total != (size_t)i * SLOT) memmove(s->buffer + total, s->buffer + (size_t)i * SLOT, len);
    total += len;
    kept++;
  }
  s->large = read / (size_t)n > LARGE;
  if (kept == 0) return full;

  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return full;
  napi_value data, meta, count, callback, recv;
  void *copy = NULL;
  int32_t *metaOut = NULL;
  /* The data is a new Buffer per batch (views of it may outlive the call); meta is one array
     reused (onBatch reads it during the call only): a fresh one per batch cost a malloc and an
     ArrayBuffer to collect. Made again only if it is gone or was detached. */
  int ok = napi_create_buffer_copy(env, total, s->buffer, &copy, &data) == napi_ok &&
           (metaOut = meta_array(s, &meta)) != NULL;
  if (ok) {
    memcpy(metaOut, s->meta, (size_t)kept * RECV_META * sizeof(int32_t));
    metaOut[META_WORDS - 1] = (int32_t)s->drops;
    ok = napi_create_int32(env, kept, &count) == napi_ok &&
         napi_get_reference_value(env, s->onBatch, &callback) == napi_ok && callback != NULL &&
         napi_get_global(env, &recv) == napi_ok; /* make_callback wants an object */
  }
  if (ok) {
    napi_value argv[3] = {data, meta, count};
    napi_value result;
    if (napi_make_callback(env, s->context, recv, callback, 3, argv, &result) == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
  return full;
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  Sock *s = (Sock *)poll;
  (void)events;
  if (status < 0) return;
  /* the poll is level-triggered: what is left is reported readable again on the next turn */
  const uint64_t start = uv_hrtime();
  for (int round = 0; round < ROUNDS && !s->closed; round++)
    if (!receive_round(s) || uv_hrtime() - start > ROUNDS_BUDGET_NS) break;
}

/* The socket behind a handle: 1 with *out NULL once closed; 0 when `value` is no handle. */
static int get_sock(napi_env env, napi_value value, Sock **out) {
  void *data = NULL;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external) return 0;
  if (napi_get_value_external(env, value, &data) != napi_ok || !data) return 0;
  *out = ((Handle *)data)->sock;
  return 1;
}

/* A handle JavaScript dropped without close(): its socket is closed now. */
static void finalize_handle(napi_env env, void *data, void *hint) {
  Handle *h = (Handle *)data;
  (void)hint;
  if (h->sock) {
    napi_remove_env_cleanup_hook(env, cleanup_hook, h->sock);
    sock_close(h->sock);
  }
  free(h);
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5)
    return throw_type(env, "open(ipv6, address, port, v6only, onBatch, localAddresses?, sendThread?)");
  bool ipv6, v6only, pktinfo = false, threaded = false;
  int32_t port;
  char address[64];
  size_t addressLength;
  napi_valuetype type, localType = napi_undefined, threadType = napi_undefined;
  if (napi_get_value_bool(env, argv[0], &ipv6) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], address, sizeof address, &addressLength) != napi_ok ||
      napi_get_value_int32(env, argv[2], &port) != napi_ok || port < 0 || port > 65535 ||
      napi_get_value_bool(env, argv[3], &v6only) != napi_ok ||
      napi_typeof(env, argv[4], &type) != napi_ok || type != napi_function ||
      (argc > 5 && (napi_typeof(env, argv[5], &localType) != napi_ok ||
                    (localType != napi_undefined && napi_get_value_bool(env, argv[5], &pktinfo) != napi_ok))) ||
      (argc > 6 && (napi_typeof(env, argv[6], &threadType) != napi_ok ||
                    (threadType != napi_undefined && napi_get_value_bool(env, argv[6], &threaded) != napi_ok))) ||
      (pktinfo && ipv6))
    return throw_type(env, "open(ipv6: boolean, address: string, port: 0..65535, v6only: boolean, onBatch: function, "
                           "localAddresses?: boolean (IPv4 only), sendThread?: boolean)");

  struct sockaddr_in6 local6;
  struct sockaddr_in local4;
  memset(&local6, 0, sizeof local6);
  memset(&local4, 0, sizeof local4);
  if (ipv6) {
    local6.sin6_family = AF_INET6;
    local6.sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, address, &local6.sin6_addr) != 1) return throw_type(env, "not an IPv6 address");
  } else {
    local4.sin_family = AF_INET;
    local4.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, address, &local4.sin_addr) != 1) return throw_type(env, "not an IPv4 address");
  }

  int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  if (ipv6) {
    int only = v6only ? 1 : 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
  }
  {
    /* the kernel's count of datagrams dropped for a full receive buffer, on the datagrams after
       them; a kernel without it just reports none */
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
  }
  if (pktinfo) {
    int on = 1;
    if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) != 0) {
      int err = errno;
      close(fd);
      return throw_errno(env, "setsockopt(IP_PKTINFO)", err);
    }
  }
  int rc = ipv6 ? bind(fd, (struct sockaddr *)&local6, sizeof local6)
                : bind(fd, (struct sockaddr *)&local4, sizeof local4);
  if (rc != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "bind", err);
  }
  struct sockaddr_in6 bound;
  socklen_t boundLength = sizeof bound;
  memset(&bound, 0, sizeof bound);
  getsockname(fd, (struct sockaddr *)&bound, &boundLength);
  int boundPort = ntohs(bound.sin6_family == AF_INET6 ? bound.sin6_port : ((struct sockaddr_in *)&bound)->sin_port);

  Sock *s = calloc(1, sizeof *s);
  Handle *h = calloc(1, sizeof *h);
  unsigned char *buffer = malloc((size_t)BATCH * SLOT);
  uv_loop_t *loop = NULL;
  if (!s || !h || !buffer || napi_get_uv_event_loop(env, &loop) != napi_ok) {
    free(h);
    free(s);
    free(buffer);
    close(fd);
    return throw_errno(env, "open", ENOMEM);
  }
  s->env = env;
  s->fd = fd;
  s->ipv6 = ipv6;
  s->pktinfo = pktinfo;
  s->buffer = buffer;
  napi_value resource;
  napi_create_string_utf8(env, "lwm2m.udp", NAPI_AUTO_LENGTH, &resource);
  if (napi_create_reference(env, argv[4], 1, &s->onBatch) != napi_ok ||
      napi_async_init(env, NULL, resource, &s->context) != napi_ok ||
      uv_poll_init_socket(loop, &s->poll, fd) != 0) {
    if (s->onBatch) napi_delete_reference(env, s->onBatch);
    free(h);
    free(s);
    free(buffer);
    close(fd);
    return throw_errno(env, "open", ENOMEM);
  }
  /* a thread the system refuses leaves the socket sending on the event loop, as without one */
  if (threaded) s->sender = sender_start(fd, ipv6, pktinfo);
  uv_poll_start(&s->poll, UV_READABLE, on_readable);
  napi_add_env_cleanup_hook(env, cleanup_hook, s);

  h->sock = s;
  s->handle = h;
  napi_value handle, portValue, threadedValue, result;
  napi_create_external(env, h, finalize_handle, NULL, &handle);
  napi_create_int32(env, boundPort, &portValue);
  napi_get_boolean(env, s->sender != NULL, &threadedValue);
  napi_create_array_with_length(env, 3, &result);
  napi_set_element(env, result, 0, handle);
  napi_set_element(env, result, 1, portValue);
  napi_set_element(env, result, 2, threadedValue);
  return result;
}

static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  Sock *s;
  int32_t count;
  napi_typedarray_type dataType, metaType;
  size_t dataLength, metaLength;
  void *dataBytes, *metaData;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4 || !get_sock(env, argv[0], &s) ||
      napi_get_typedarray_info(env, argv[1], &dataType, &dataLength, &dataBytes, NULL, NULL) != napi_ok ||
      dataType != napi_uint8_array ||
      napi_get_typedarray_info(env, argv[2], &metaType, &metaLength, &metaData, NULL, NULL) != napi_ok ||
      metaType != napi_int32_array || napi_get_value_int32(env, argv[3], &count) != napi_ok || count < 0 ||
      (size_t)count * SEND_META > metaLength)
    return throw_type(env, "send(handle, data: Uint8Array, meta: Int32Array, count)");
  const int32_t *meta = (const int32_t *)metaData;
  /* every datagram inside `data`, checked before anything is sent */
  for (int32_t i = 0; i < count; i++) {
    int32_t offset = meta[(size_t)i * SEND_META + 7], length = meta[(size_t)i * SEND_META + 8];
    if (offset < 0 || length < 0 || (size_t)offset + (size_t)length > dataLength)
      return throw_type(env, "send: a datagram's offset and length must lie inside data");
  }
  napi_value sentValue;
  if (!s || s->closed) {
    napi_create_int32(env, 0, &sentValue);
    return sentValue;
  }
  const unsigned char *data = (const unsigned char *)dataBytes;
  int sent = s->sender ? sender_enqueue(s->sender, data, meta, count) : send_batch(s->fd, s->ipv6, s->pktinfo, data, meta, count);
  napi_create_int32(env, sent, &sentValue);
  return sentValue;
}

static napi_value js_receive_buffer(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  Sock *s;
  int32_t bytes;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || !get_sock(env, argv[0], &s) ||
      napi_get_value_int32(env, argv[1], &bytes) != napi_ok || bytes < 0)
    return throw_type(env, "receiveBuffer(handle, bytes: 0..2^31-1)");
  if (!s || s->closed) return throw_errno(env, "receiveBuffer", EBADF);
  if (bytes > 0 && setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0)
    return throw_errno(env, "setsockopt(SO_RCVBUF)", errno);
  int size = 0;
  socklen_t sizeLength = sizeof size;
  if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &size, &sizeLength) != 0)
    return throw_errno(env, "getsockopt(SO_RCVBUF)", errno);
  napi_value result;
  napi_create_int32(env, size, &result);
  return result;
}

static napi_value js_send_drops(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Sock *s;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || !get_sock(env, argv[0], &s))
    return throw_type(env, "sendDrops(handle)");
  uint64_t dropped = s && s->sender ? __atomic_load_n(&s->sender->dropped, __ATOMIC_RELAXED) : 0;
  napi_value result;
  napi_create_double(env, (double)dropped, &result);
  return result;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  Sock *s;
  napi_valuetype type = napi_undefined;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || !get_sock(env, argv[0], &s) ||
      (argc > 1 && (napi_typeof(env, argv[1], &type) != napi_ok || (type != napi_function && type != napi_undefined))))
    return throw_type(env, "close(handle, onClosed?)");
  double dropped = 0;
  if (s && !s->closed) {
    if (type == napi_function) napi_create_reference(env, argv[1], 1, &s->onClosed);
    napi_remove_env_cleanup_hook(env, cleanup_hook, s);
    sock_close(s);
    dropped = (double)s->senderDropped;
  }
  napi_value result;
  napi_create_double(env, dropped, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"receiveBuffer", NULL, js_receive_buffer, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendDrops", NULL, js_send_drops, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  napi_value abi;
  if (napi_create_int32(env, ABI, &abi) == napi_ok) napi_set_named_property(env, exports, "abi", abi);
  return exports;
}
