// `@ngb/sandbox/bin` is the sandbox program, resolved for its file path (`import.meta.resolve`) and run
// with `node`; importing it starts the program, so it exports nothing.
export {};
