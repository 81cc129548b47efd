/** Exit code returned by a command that keeps running (the server) instead of exiting. */
export const SERVING = -1;
