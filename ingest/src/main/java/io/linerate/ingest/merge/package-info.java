/**
 * Several captures read as one: files of several taps interleaved by time stamp as mergecap does
 * ({@link io.linerate.ingest.merge.CaptureMerge}), the rotated files of one capture read in their
 * sequence ({@link io.linerate.ingest.merge.CaptureSequence}), and the plan that turns the command
 * line's files, directories and {@code -} into what is read ({@link io.linerate.ingest.merge.InputPlan}).
 */
package io.linerate.ingest.merge;
