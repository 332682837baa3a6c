/**
 * The service's side of billing's metering: what the reconciler tells the usage ledger (runs
 * starting and ending, confirmations that a run still holds its resources), what the service
 * vouches for when the meter asks (confirmations and the hosts' answers, both read from PostgreSQL,
 * so any replica's meter sees what every replica saw), and the engine's records for run checks.
 */
package dev.berth.service.metering;
