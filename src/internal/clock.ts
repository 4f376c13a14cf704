/** A clock, injected so that tests never sleep. */
export type Clock = () => Date;
