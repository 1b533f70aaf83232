/** The channel name of conversations held in a terminal (`ngb run`, `ngb shell`). */
export const cliChannelName = 'cli';
