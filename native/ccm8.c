/*
 * AES-128-CCM with an 8-byte tag for DTLS records (RFC 6655 as RFC 7925 profiles it), through
 * OpenSSL's own EVP AES-CCM: the OpenSSL Node.js itself is built with (this file is compiled
 * against the headers Node ships in include/node and links nothing; the EVP symbols resolve
 * against the running node binary), so no cryptography is written here.
 *
 * Why it exists: node:crypto makes a new cipher object for every record (createCipheriv cannot
 * be re-keyed), ~3 us per record on this machine, which caps CoAP-over-DTLS throughput at half
 * of plain CoAP (issue 13). OpenSSL lets one EVP_CIPHER_CTX be re-keyed per message; this module
 * keeps one context per direction per Node environment (main thread or worker) and re-keys it
 * for every call: ~0.5 us per record.
 *
 * The JavaScript side (src/transport/dtls/record/nativeCcm8.ts) checks the module against
 * node:crypto before using it and falls back to node:crypto when it is absent.
 *
 * Calls (all synchronous, every argument checked; a bad argument throws a TypeError/RangeError):
 *   seal(keyNonce, aad, input, out, outAt) -> undefined
 *     keyNonce: 28 bytes, key (16) | nonce (12); writes ciphertext then the tag at out[outAt..]
 *     (input may be those very bytes: encryption in place).
 *   open(keyNonce, aad, ciphertext, tag, out) -> boolean
 *     writes the plaintext to out[0..ciphertext.length) and returns whether the tag verified
 *     (on false, out holds nothing usable).
 */
#include <limits.h>
#include <node_api.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdlib.h>

#define KEY_LENGTH 16
#define NONCE_LENGTH 12
#define TAG_LENGTH 8
/* a DTLS record fragment is at most 2^14 + 2048 bytes; anything near INT_MAX is refused */
#define MAX_MESSAGE (1 << 24)

/*
 * What empty inputs and outputs point at: Node may give a zero-length array a NULL data pointer,
 * and OpenSSL reads a NULL input or output as "AAD" or "final" rather than an empty message, so
 * an empty message would skip the tag (its computation, or its check).
 */
static unsigned char empty[1];

typedef struct {
  EVP_CIPHER_CTX *seal;
  EVP_CIPHER_CTX *open;
} Contexts;

static void free_contexts(napi_env env, void *data, void *hint) {
  Contexts *c = (Contexts *)data;
  (void)env;
  (void)hint;
  if (!c) return;
  EVP_CIPHER_CTX_free(c->seal);
  EVP_CIPHER_CTX_free(c->open);
  free(c);
}

static napi_value fail(napi_env env, const char *code, const char *message, int range) {
  if (range)
    napi_throw_range_error(env, code, message);
  else
    napi_throw_type_error(env, code, message);
  return NULL;
}

/* The bytes of a Buffer or any TypedArray (as bytes). */
static int bytes_of(napi_env env, napi_value v, unsigned char **data, size_t *length) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  size_t count, offset;
  void *p;
  napi_value buffer;
  if (napi_get_typedarray_info(env, v, &type, &count, &p, &buffer, &offset) != napi_ok) return 0;
  size_t width = 1;
  switch (type) {
    case napi_int8_array:
    case napi_uint8_array:
    case napi_uint8_clamped_array:
      width = 1;
      break;
    default:
      return 0; /* only byte arrays */
  }
  *data = (unsigned char *)p;
  *length = count * width;
  return 1;
}

static Contexts *contexts(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) != napi_ok) return NULL;
  return (Contexts *)data;
}

static napi_value seal(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5)
    return fail(env, "ERR_INVALID_ARG_COUNT", "seal(keyNonce, aad, input, out, outAt)", 0);
  unsigned char *keyNonce, *aad, *input, *out;
  size_t keyNonceLength, aadLength, inputLength, outLength;
  uint32_t at;
  if (!bytes_of(env, argv[0], &keyNonce, &keyNonceLength) || !bytes_of(env, argv[1], &aad, &aadLength) ||
      !bytes_of(env, argv[2], &input, &inputLength) || !bytes_of(env, argv[3], &out, &outLength) ||
      napi_get_value_uint32(env, argv[4], &at) != napi_ok)
    return fail(env, "ERR_INVALID_ARG_TYPE", "seal takes four Uint8Arrays and an offset", 0);
  if (keyNonceLength != KEY_LENGTH + NONCE_LENGTH || aadLength > 64 || inputLength > MAX_MESSAGE ||
      at > outLength || outLength - at < inputLength + TAG_LENGTH)
    return fail(env, "ERR_OUT_OF_RANGE", "seal: bad key/nonce length, AAD, input or output room", 1);
  Contexts *c = contexts(env);
  int n;
  unsigned char *to = out ? out + at : empty;
  if (!input || inputLength == 0) input = empty;
  if (!c || EVP_EncryptInit_ex(c->seal, NULL, NULL, keyNonce, keyNonce + KEY_LENGTH) != 1 ||
      EVP_EncryptUpdate(c->seal, NULL, &n, NULL, (int)inputLength) != 1 ||
      (aadLength > 0 && EVP_EncryptUpdate(c->seal, NULL, &n, aad, (int)aadLength) != 1) ||
      EVP_EncryptUpdate(c->seal, to, &n, input, (int)inputLength) != 1 ||
      EVP_EncryptFinal_ex(c->seal, to + inputLength, &n) != 1 ||
      EVP_CIPHER_CTX_ctrl(c->seal, EVP_CTRL_AEAD_GET_TAG, TAG_LENGTH, to + inputLength) != 1) {
    ERR_clear_error();
    return fail(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-CCM seal failed", 0);
  }
  return NULL;
}

static napi_value open_(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5)
    return fail(env, "ERR_INVALID_ARG_COUNT", "open(keyNonce, aad, ciphertext, tag, out)", 0);
  unsigned char *keyNonce, *aad, *ciphertext, *tag, *out;
  size_t keyNonceLength, aadLength, ciphertextLength, tagLength, outLength;
  if (!bytes_of(env, argv[0], &keyNonce, &keyNonceLength) || !bytes_of(env, argv[1], &aad, &aadLength) ||
      !bytes_of(env, argv[2], &ciphertext, &ciphertextLength) || !bytes_of(env, argv[3], &tag, &tagLength) ||
      !bytes_of(env, argv[4], &out, &outLength))
    return fail(env, "ERR_INVALID_ARG_TYPE", "open takes five Uint8Arrays", 0);
  if (keyNonceLength != KEY_LENGTH + NONCE_LENGTH || aadLength > 64 || ciphertextLength > MAX_MESSAGE ||
      tagLength != TAG_LENGTH || outLength < ciphertextLength)
    return fail(env, "ERR_OUT_OF_RANGE", "open: bad key/nonce length, AAD, tag or output room", 1);
  Contexts *c = contexts(env);
  int n;
  if (!ciphertext || ciphertextLength == 0) ciphertext = empty;
  if (!out || outLength == 0) out = empty;
  if (!c) return fail(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-CCM contexts missing", 0);
  /* CCM takes the expected tag before the key and nonce (OpenSSL EVP_EncryptInit(3), CCM mode) */
  int ok = EVP_CIPHER_CTX_ctrl(c->open, EVP_CTRL_AEAD_SET_TAG, TAG_LENGTH, tag) == 1 &&
           EVP_DecryptInit_ex(c->open, NULL, NULL, keyNonce, keyNonce + KEY_LENGTH) == 1 &&
           EVP_DecryptUpdate(c->open, NULL, &n, NULL, (int)ciphertextLength) == 1 &&
           (aadLength == 0 || EVP_DecryptUpdate(c->open, NULL, &n, aad, (int)aadLength) == 1) &&
           /* the last update checks the tag: it fails (and clears out) when the tag is wrong */
           EVP_DecryptUpdate(c->open, out, &n, ciphertext, (int)ciphertextLength) == 1;
  /*
   * A refused tag leaves an error on this thread's OpenSSL error queue; node:crypto calls made
   * next on the thread (createPrivateKey of a PEM key, for one) would read it as their own
   * failure, so it goes now.
   */
  if (!ok) ERR_clear_error();
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

static EVP_CIPHER_CTX *new_context(int encrypt) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (!ctx) return NULL;
  if (EVP_CipherInit_ex(ctx, EVP_aes_128_ccm(), NULL, NULL, NULL, encrypt) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, NONCE_LENGTH, NULL) != 1 ||
      (encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LENGTH, NULL) != 1)) {
    EVP_CIPHER_CTX_free(ctx);
    ERR_clear_error();
    return NULL;
  }
  return ctx;
}

NAPI_MODULE_INIT() {
  Contexts *c = (Contexts *)calloc(1, sizeof(Contexts));
  if (!c) return NULL;
  c->seal = new_context(1);
  c->open = new_context(0);
  if (!c->seal || !c->open || napi_set_instance_data(env, c, free_contexts, NULL) != napi_ok) {
    free_contexts(env, c, NULL);
    napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "cannot set up AES-128-CCM contexts");
    return NULL;
  }
  napi_value fn;
  if (napi_create_function(env, "seal", NAPI_AUTO_LENGTH, seal, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "seal", fn) != napi_ok ||
      napi_create_function(env, "open", NAPI_AUTO_LENGTH, open_, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "open", fn) != napi_ok)
    return NULL;
  return exports;
}
