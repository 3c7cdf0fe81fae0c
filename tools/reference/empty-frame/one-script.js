// The least a framed panel that shows anything runs: one script file of its own (an extension
// page may run no inline script). It does nothing.
