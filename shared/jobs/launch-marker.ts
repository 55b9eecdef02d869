// The extra var every launch from the console carries: a random id that lets the console find the job it
// started when AWX's answer to the launch never arrived (a timeout is not a refusal; the job may be running).
// One name for everyone who launches or looks for launched jobs.

export const LAUNCH_MARKER_VAR = 'toc_launch_id';
