/**
 * Imported first by the entry point, before anything touches the libuv thread pool: startup
 * reads thousands of small dataset files (one request file per submission), and the default
 * pool of 4 threads would serialize those opens and reads. An operator's own
 * UV_THREADPOOL_SIZE wins.
 */
process.env.UV_THREADPOOL_SIZE ??= '16';
