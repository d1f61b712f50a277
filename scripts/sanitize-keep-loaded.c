/* scripts/sanitize preloads this into the ASan test run: dlclose() keeps every library mapped.
 *
 * Why: at exit glfwTerminate() dlcloses libGL, which unmaps Mesa's libglapi and its llvmpipe
 * driver (swrast_dri.so). Their globals still point at ~260 blocks they allocated (libglapi's
 * strdup'ed dispatch names, gallium state). Once the libraries are unmapped LeakSanitizer cannot
 * see those pointers and reports the blocks as direct leaks, with "<unknown module>" stacks that
 * no suppression can name. With the libraries kept mapped, as in a process that never unloads,
 * LSan sees them and reports nothing: no suppression at all is needed, and every real leak, in
 * our code or theirs, is still reported. dlclose() here is a no-op that reports success. */
int dlclose(void* handle) {
    (void)handle;
    return 0;
}
