// Original file: protos/jobs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelJobRequest as _aiaas_registry_v1_CancelJobRequest, CancelJobRequest__Output as _aiaas_registry_v1_CancelJobRequest__Output } from '../../../aiaas/registry/v1/CancelJobRequest';
import type { CancelJobResponse as _aiaas_registry_v1_CancelJobResponse, CancelJobResponse__Output as _aiaas_registry_v1_CancelJobResponse__Output } from '../../../aiaas/registry/v1/CancelJobResponse';
import type { GetJobDatasetRequest as _aiaas_registry_v1_GetJobDatasetRequest, GetJobDatasetRequest__Output as _aiaas_registry_v1_GetJobDatasetRequest__Output } from '../../../aiaas/registry/v1/GetJobDatasetRequest';
import type { GetJobDatasetResponse as _aiaas_registry_v1_GetJobDatasetResponse, GetJobDatasetResponse__Output as _aiaas_registry_v1_GetJobDatasetResponse__Output } from '../../../aiaas/registry/v1/GetJobDatasetResponse';
import type { GetJobRequest as _aiaas_registry_v1_GetJobRequest, GetJobRequest__Output as _aiaas_registry_v1_GetJobRequest__Output } from '../../../aiaas/registry/v1/GetJobRequest';
import type { GetJobResponse as _aiaas_registry_v1_GetJobResponse, GetJobResponse__Output as _aiaas_registry_v1_GetJobResponse__Output } from '../../../aiaas/registry/v1/GetJobResponse';
import type { ListJobsRequest as _aiaas_registry_v1_ListJobsRequest, ListJobsRequest__Output as _aiaas_registry_v1_ListJobsRequest__Output } from '../../../aiaas/registry/v1/ListJobsRequest';
import type { ListJobsResponse as _aiaas_registry_v1_ListJobsResponse, ListJobsResponse__Output as _aiaas_registry_v1_ListJobsResponse__Output } from '../../../aiaas/registry/v1/ListJobsResponse';
import type { ReportJobEventRequest as _aiaas_registry_v1_ReportJobEventRequest, ReportJobEventRequest__Output as _aiaas_registry_v1_ReportJobEventRequest__Output } from '../../../aiaas/registry/v1/ReportJobEventRequest';
import type { ReportJobEventResponse as _aiaas_registry_v1_ReportJobEventResponse, ReportJobEventResponse__Output as _aiaas_registry_v1_ReportJobEventResponse__Output } from '../../../aiaas/registry/v1/ReportJobEventResponse';
import type { SubmitJobRequest as _aiaas_registry_v1_SubmitJobRequest, SubmitJobRequest__Output as _aiaas_registry_v1_SubmitJobRequest__Output } from '../../../aiaas/registry/v1/SubmitJobRequest';
import type { SubmitJobResponse as _aiaas_registry_v1_SubmitJobResponse, SubmitJobResponse__Output as _aiaas_registry_v1_SubmitJobResponse__Output } from '../../../aiaas/registry/v1/SubmitJobResponse';
import type { WatchJobRequest as _aiaas_registry_v1_WatchJobRequest, WatchJobRequest__Output as _aiaas_registry_v1_WatchJobRequest__Output } from '../../../aiaas/registry/v1/WatchJobRequest';
import type { WatchJobResponse as _aiaas_registry_v1_WatchJobResponse, WatchJobResponse__Output as _aiaas_registry_v1_WatchJobResponse__Output } from '../../../aiaas/registry/v1/WatchJobResponse';

export interface JobsClient extends grpc.Client {
  /**
   * A queued job is removed at once (CANCELLED); a running one becomes CANCELLING and its worker
   * stops between passes, registering nothing.
   */
  CancelJob(argument: _aiaas_registry_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _aiaas_registry_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _aiaas_registry_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _aiaas_registry_v1_CancelJobRequest, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A queued job is removed at once (CANCELLED); a running one becomes CANCELLING and its worker
   * stops between passes, registering nothing.
   */
  cancelJob(argument: _aiaas_registry_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _aiaas_registry_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _aiaas_registry_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _aiaas_registry_v1_CancelJobRequest, callback: grpc.requestCallback<_aiaas_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  
  GetJob(argument: _aiaas_registry_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _aiaas_registry_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _aiaas_registry_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _aiaas_registry_v1_GetJobRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _aiaas_registry_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _aiaas_registry_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _aiaas_registry_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _aiaas_registry_v1_GetJobRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Internal: the job's uploaded validation dataset, in chunks, for the worker running it.
   */
  GetJobDataset(argument: _aiaas_registry_v1_GetJobDatasetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_GetJobDatasetResponse__Output>;
  GetJobDataset(argument: _aiaas_registry_v1_GetJobDatasetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_GetJobDatasetResponse__Output>;
  /**
   * Internal: the job's uploaded validation dataset, in chunks, for the worker running it.
   */
  getJobDataset(argument: _aiaas_registry_v1_GetJobDatasetRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_GetJobDatasetResponse__Output>;
  getJobDataset(argument: _aiaas_registry_v1_GetJobDatasetRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_GetJobDatasetResponse__Output>;
  
  ListJobs(argument: _aiaas_registry_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _aiaas_registry_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _aiaas_registry_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _aiaas_registry_v1_ListJobsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _aiaas_registry_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _aiaas_registry_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _aiaas_registry_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _aiaas_registry_v1_ListJobsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Internal: optimizer workers report what happened; the answer says whether to stop (cancelled).
   */
  ReportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  ReportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  ReportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  ReportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Internal: optimizer workers report what happened; the answer says whether to stop (cancelled).
   */
  reportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  reportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  reportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  reportJobEvent(argument: _aiaas_registry_v1_ReportJobEventRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ReportJobEventResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Validates the passes and their settings (INVALID_ARGUMENT, nothing queued) and queues the job.
   */
  SubmitJob(argument: _aiaas_registry_v1_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _aiaas_registry_v1_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _aiaas_registry_v1_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  SubmitJob(argument: _aiaas_registry_v1_SubmitJobRequest, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Validates the passes and their settings (INVALID_ARGUMENT, nothing queued) and queues the job.
   */
  submitJob(argument: _aiaas_registry_v1_SubmitJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _aiaas_registry_v1_SubmitJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _aiaas_registry_v1_SubmitJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  submitJob(argument: _aiaas_registry_v1_SubmitJobRequest, callback: grpc.requestCallback<_aiaas_registry_v1_SubmitJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Server streaming: every event of the job so far, then the new ones, ending after the last
   * (completed, failed or cancelled).
   */
  WatchJob(argument: _aiaas_registry_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchJobResponse__Output>;
  WatchJob(argument: _aiaas_registry_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchJobResponse__Output>;
  /**
   * Server streaming: every event of the job so far, then the new ones, ending after the last
   * (completed, failed or cancelled).
   */
  watchJob(argument: _aiaas_registry_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchJobResponse__Output>;
  watchJob(argument: _aiaas_registry_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchJobResponse__Output>;
  
}

export interface JobsHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A queued job is removed at once (CANCELLED); a running one becomes CANCELLING and its worker
   * stops between passes, registering nothing.
   */
  CancelJob: grpc.handleUnaryCall<_aiaas_registry_v1_CancelJobRequest__Output, _aiaas_registry_v1_CancelJobResponse>;
  
  GetJob: grpc.handleUnaryCall<_aiaas_registry_v1_GetJobRequest__Output, _aiaas_registry_v1_GetJobResponse>;
  
  /**
   * Internal: the job's uploaded validation dataset, in chunks, for the worker running it.
   */
  GetJobDataset: grpc.handleServerStreamingCall<_aiaas_registry_v1_GetJobDatasetRequest__Output, _aiaas_registry_v1_GetJobDatasetResponse>;
  
  ListJobs: grpc.handleUnaryCall<_aiaas_registry_v1_ListJobsRequest__Output, _aiaas_registry_v1_ListJobsResponse>;
  
  /**
   * Internal: optimizer workers report what happened; the answer says whether to stop (cancelled).
   */
  ReportJobEvent: grpc.handleUnaryCall<_aiaas_registry_v1_ReportJobEventRequest__Output, _aiaas_registry_v1_ReportJobEventResponse>;
  
  /**
   * Validates the passes and their settings (INVALID_ARGUMENT, nothing queued) and queues the job.
   */
  SubmitJob: grpc.handleUnaryCall<_aiaas_registry_v1_SubmitJobRequest__Output, _aiaas_registry_v1_SubmitJobResponse>;
  
  /**
   * Server streaming: every event of the job so far, then the new ones, ending after the last
   * (completed, failed or cancelled).
   */
  WatchJob: grpc.handleServerStreamingCall<_aiaas_registry_v1_WatchJobRequest__Output, _aiaas_registry_v1_WatchJobResponse>;
  
}

export interface JobsDefinition extends grpc.ServiceDefinition {
  CancelJob: MethodDefinition<_aiaas_registry_v1_CancelJobRequest, _aiaas_registry_v1_CancelJobResponse, _aiaas_registry_v1_CancelJobRequest__Output, _aiaas_registry_v1_CancelJobResponse__Output>
  GetJob: MethodDefinition<_aiaas_registry_v1_GetJobRequest, _aiaas_registry_v1_GetJobResponse, _aiaas_registry_v1_GetJobRequest__Output, _aiaas_registry_v1_GetJobResponse__Output>
  GetJobDataset: MethodDefinition<_aiaas_registry_v1_GetJobDatasetRequest, _aiaas_registry_v1_GetJobDatasetResponse, _aiaas_registry_v1_GetJobDatasetRequest__Output, _aiaas_registry_v1_GetJobDatasetResponse__Output>
  ListJobs: MethodDefinition<_aiaas_registry_v1_ListJobsRequest, _aiaas_registry_v1_ListJobsResponse, _aiaas_registry_v1_ListJobsRequest__Output, _aiaas_registry_v1_ListJobsResponse__Output>
  ReportJobEvent: MethodDefinition<_aiaas_registry_v1_ReportJobEventRequest, _aiaas_registry_v1_ReportJobEventResponse, _aiaas_registry_v1_ReportJobEventRequest__Output, _aiaas_registry_v1_ReportJobEventResponse__Output>
  SubmitJob: MethodDefinition<_aiaas_registry_v1_SubmitJobRequest, _aiaas_registry_v1_SubmitJobResponse, _aiaas_registry_v1_SubmitJobRequest__Output, _aiaas_registry_v1_SubmitJobResponse__Output>
  WatchJob: MethodDefinition<_aiaas_registry_v1_WatchJobRequest, _aiaas_registry_v1_WatchJobResponse, _aiaas_registry_v1_WatchJobRequest__Output, _aiaas_registry_v1_WatchJobResponse__Output>
}
