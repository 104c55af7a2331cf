/** The resolved SchedulingOptions of the application. */
export const SCHEDULING_OPTIONS = Symbol('troupe:scheduling-options');
