/** English day and month names, as Splunk's %a/%A/%b/%B print them. */
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

/** Composite variables, as the simple ones they stand for (strftime prints %x/%X in its own way). */
export const COMPOSITE_FORMATS: Readonly<Record<string, string>> = {
  c: "%a %b %e %H:%M:%S %Y",
  "+": "%a %b %e %H:%M:%S %Z %Y",
  D: "%m/%d/%y",
  F: "%Y-%m-%d",
  R: "%H:%M",
  r: "%I:%M:%S %p",
  T: "%H:%M:%S",
};
