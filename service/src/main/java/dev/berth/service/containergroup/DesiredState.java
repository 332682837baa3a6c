package dev.berth.service.containergroup;

/** What the API asked for. Only the API writes it; the reconciler works towards it. */
public enum DesiredState {
  /** Containers should run (subject to the restart policy). Entered by PUT and by start. */
  RUNNING,
  /** Containers should not run and capacity is released. Entered by stop. */
  STOPPED,
  /** The group and everything it owns should go away. Entered by DELETE. */
  DELETED
}
