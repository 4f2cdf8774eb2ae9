import type { FeatureValue } from '../features/extract';
import type { FeatureSchema } from '../features/frame';
import type { EncodingOptions } from '../features/encoding';
import type { AutoencoderConfig } from '../model/autoencoder';
import { Fingerprint, type FingerprintJson } from '../model/fingerprint';
import type { LeftOut } from '../model/left_out';

/** One fingerprint to train, in a form that crosses to a worker thread (structured clone). */
export interface TrainTaskInput {
  user: string | null;
  rows: FeatureValue[][];
  times: number[];
  version: number;
  /** Start from the task's generic model (a short-history user). */
  warmStart: boolean;
  /** The user's events an earlier run's fields kept out (jobs/left_out.ts), for the model to say. */
  leftOut?: LeftOut;
}

/** Fingerprints to train together: users of one profile in stacks, or one model alone. */
export interface TrainTask {
  profile: string;
  schema: FeatureSchema;
  config: AutoencoderConfig;
  backend: string;
  inputs: TrainTaskInput[];
  /** The generic model, when an input starts from it. */
  generic?: FingerprintJson;
  encodingOptions?: EncodingOptions;
  /** One model at a time (Fingerprint.train), as Morpheus does; else stacked (trainMany). */
  sequential?: boolean;
}

/**
 * Runs a task in this thread and hands each fingerprint to `onTrained` as it is ready (input
 * index, stored form). The same code runs inline and in the train pool's workers.
 */
export function runTrainTask(task: TrainTask, onTrained: (index: number, json: FingerprintJson) => void): void {
  const generic = task.generic ? Fingerprint.fromJson(task.generic) : undefined;
  try {
    const inputs = task.inputs.map((i) => {
      if (i.warmStart && !generic) throw new Error(`train task: ${i.user ?? 'generic'} should warm-start but the task carries no generic model`);
      return {
        profile: task.profile,
        user: i.user,
        schema: task.schema,
        rows: i.rows,
        times: i.times,
        config: task.config,
        backend: task.backend,
        version: i.version,
        encodingOptions: task.encodingOptions,
        warmStart: i.warmStart ? generic : undefined,
        leftOut: i.leftOut,
      };
    });
    const done = (index: number, fp: Fingerprint): void => {
      onTrained(index, fp.json);
      fp.dispose();
    };
    if (task.sequential) inputs.forEach((input, i) => done(i, Fingerprint.train(input)));
    else Fingerprint.trainMany(inputs, { onTrained: done });
  } finally {
    generic?.dispose();
  }
}
