/* Compiler attribute helpers. */
#ifndef COMPILER_H
#define COMPILER_H 1

#define VS_UNUSED __attribute__((__unused__))
#define VS_NO_RETURN __attribute__((__noreturn__))
#define VS_PRINTF_FORMAT(FMT, ARG1) \
    __attribute__((__format__(printf, FMT, ARG1)))
#define VS_WARN_UNUSED_RESULT __attribute__((__warn_unused_result__))
#define VS_LIKELY(X) __builtin_expect(!!(X), 1)
#define VS_UNLIKELY(X) __builtin_expect(!!(X), 0)
#define VS_CONSTRUCTOR(F) \
    static void F(void) __attribute__((__constructor__)); \
    static void F(void)

#endif /* compiler.h */
