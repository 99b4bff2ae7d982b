// Original file: protos/deployments.proto

export const ReplicaState = {
  REPLICA_STATE_UNSPECIFIED: 'REPLICA_STATE_UNSPECIFIED',
  /**
   * Assigned to a node that has not reported on it yet.
   */
  REPLICA_STATE_PENDING: 'REPLICA_STATE_PENDING',
  REPLICA_STATE_LOADING: 'REPLICA_STATE_LOADING',
  REPLICA_STATE_READY: 'REPLICA_STATE_READY',
  REPLICA_STATE_FAILED: 'REPLICA_STATE_FAILED',
  /**
   * Waiting for enough free memory on a live node with the right device.
   */
  REPLICA_STATE_UNPLACED: 'REPLICA_STATE_UNPLACED',
  /**
   * Replaced by a READY replica of the new version: out of the routes, still assigned to its node
   * for a grace period so requests already routed to it finish.
   */
  REPLICA_STATE_DRAINING: 'REPLICA_STATE_DRAINING',
} as const;

export type ReplicaState =
  | 'REPLICA_STATE_UNSPECIFIED'
  | 0
  /**
   * Assigned to a node that has not reported on it yet.
   */
  | 'REPLICA_STATE_PENDING'
  | 1
  | 'REPLICA_STATE_LOADING'
  | 2
  | 'REPLICA_STATE_READY'
  | 3
  | 'REPLICA_STATE_FAILED'
  | 4
  /**
   * Waiting for enough free memory on a live node with the right device.
   */
  | 'REPLICA_STATE_UNPLACED'
  | 5
  /**
   * Replaced by a READY replica of the new version: out of the routes, still assigned to its node
   * for a grace period so requests already routed to it finish.
   */
  | 'REPLICA_STATE_DRAINING'
  | 6

export type ReplicaState__Output = typeof ReplicaState[keyof typeof ReplicaState]
