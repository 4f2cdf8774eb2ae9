import { FsTriageStore } from '../../server/engine/io/triage_store';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { initBackend, type BackendInfo } from '../../server/engine/model/backend';
import { readEvents, expandInputs } from '../../server/engine/io/read_events';
import { createEventWriter } from '../../server/engine/io/write_events';
import { FsModelStore } from '../../server/engine/io/model_store_fs';
import { trainModels, type TrainSummary } from '../../server/engine/jobs/train';
import { scoreEvents, type ScoreSummary } from '../../server/engine/jobs/score';
import { loadBenignSuppression } from '../../server/engine/score/benign_suppression';
import { InputReport } from '../../server/engine/jobs/input_report';
import { evaluateScored, formatQuality, readTruth } from '../../server/engine/eval/evaluate';
import type { QualityReport } from '../../server/engine/eval/metrics';
import { scoreProcessFiles, trainProcessFiles } from './process_counts';
import { Progress } from './progress';
import { scoreReport, trainReport } from './report';
import {
  isProcessCounts,
  trainSettingsOf,
  profileOf,
  userFilterOf,
  type CommonOptions,
  type ScoreFlags,
  type TrainFlags,
} from './options';

const log = (msg: string): void => {
  process.stderr.write(`${msg}\n`);
};

/** What initBackend says when an optional native package is simply not installed (most machines). */
const NOT_INSTALLED = /Cannot find module|MODULE_NOT_FOUND/;
/** The backend line said last, so `dfp run` and the demo (train, then score) say it once. */
let announced: string | undefined;

/**
 * The backend, initialised, and one line saying which. auto's tries of the native TensorFlow
 * packages that are not installed are left out (they are optional dependencies: their absence is
 * the usual case, not news); a package that is installed and fails to load is still said.
 */
async function startBackend(o: CommonOptions): Promise<BackendInfo> {
  const backend = await initBackend(o.backend, (line) => {
    if (/ unavailable: /.test(line) && !NOT_INSTALLED.test(line)) log(line);
  });
  const line = `backend: ${backend.name} (${backend.detail})`;
  if (line !== announced) log(line);
  announced = line;
  return backend;
}

/** `dfp train`: fingerprints for every user in the input, saved under --models. */
export async function trainCommand(o: CommonOptions & TrainFlags & { input: string[]; models: string }): Promise<TrainSummary | null> {
  await expandInputs(o.input); // fail early, naming the pattern that matches nothing
  const backend = await startBackend(o);
  if (isProcessCounts(o)) {
    log(await trainProcessFiles(o.input, o.models, { seed: o.seed, epochs: o.epochs, backend: backend.name }));
    return null;
  }
  const progress = new Progress(o.quiet);
  // What the reader finds below the record level (invalid UTF-8), merged into the run's report.
  const reading = new InputReport();
  const profile = profileOf(o);
  const summary = await trainModels(readEvents(o.input, { report: reading }), {
    profile,
    store: new FsModelStore(o.models),
    backend: backend.name,
    ...trainSettingsOf(o),
    // Files: the decisions about the source named after the profile, as the standalone server keeps them.
    triage: o.triage ? await new FsTriageStore(o.triage).records(profile.name) : undefined,
    onProgress: (p) => progress.update(p.phase === 'generic' ? 'generic model' : 'user models', p.done, p.total, p.user ?? ''),
  });
  progress.finish();
  summary.report.merge(reading);
  if (o.json) process.stdout.write(`${JSON.stringify({ ...summary, report: summary.report.byKind() })}\n`);
  else log(trainReport(summary));
  if (summary.rowsInWindow === 0) throw new Error('no usable events to train on (see input problems above)');
  return summary;
}

/** `dfp score`: every input event out again with its dfp fields, in input order. */
export async function scoreCommand(o: CommonOptions & ScoreFlags & { input: string[]; models: string; out: string }): Promise<ScoreSummary | null> {
  await expandInputs(o.input);
  await assertModels(o.models);
  const backend = await startBackend(o);
  const writer = createEventWriter(o.out);
  if (isProcessCounts(o)) {
    try {
      log(await scoreProcessFiles(o.input, o.models, { threshold: o.threshold }, writer));
    } finally {
      log(`wrote ${(await writer.close()).written} events to ${o.out}`);
    }
    return null;
  }
  const progress = new Progress(o.quiet);
  const reading = new InputReport();
  const profile = profileOf(o);
  // Files: the decisions about the source named after the profile, as the standalone server keeps them.
  const benign = o.triage ? await loadBenignSuppression(new FsTriageStore(o.triage), profile.name) : undefined;
  let summary: ScoreSummary;
  try {
    summary = await scoreEvents(
      readEvents(o.input, { report: reading }),
      {
        profile,
        benign,
        store: new FsModelStore(o.models),
        threshold: o.threshold,
        tsThreshold: o.tsThreshold,
        userRiskThreshold: o.userRiskThreshold,
        userFilter: userFilterOf(o),
        workers: o.workers,
        onProgress: (p) => progress.update('scoring users', p.done, p.total, p.user),
      },
      (doc) => writer.write(doc),
    );
  } finally {
    progress.finish();
    const closed = await writer.close();
    log(`wrote ${closed.written} events to ${closed.path}`);
  }
  summary.report.merge(reading);
  if (o.json) process.stdout.write(`${JSON.stringify({ ...summary, report: summary.report.byKind() })}\n`);
  else log(scoreReport(summary, o.threshold));
  return summary;
}

/** `dfp run`: train on one input, score another, like Morpheus' pipeline-ae. */
export async function runCommand(
  o: CommonOptions & TrainFlags & ScoreFlags & { train: string[]; input: string[]; out: string; models?: string },
): Promise<void> {
  const models = o.models ?? path.join(path.dirname(path.resolve(o.out)), 'models');
  log(`models: ${models}`);
  await trainCommand({ ...o, input: o.train, models, json: false });
  await scoreCommand({ ...o, models });
}

async function assertModels(dir: string): Promise<void> {
  try {
    await fs.access(dir);
  } catch {
    throw new Error(`model directory "${dir}" does not exist: run dfp train --models ${dir} first`);
  }
}

/** `dfp evaluate`: a scored output measured against known truth (ROC AUC, flag precision). */
export async function evaluateCommand(o: CommonOptions & { scored: string[]; truth: string }): Promise<QualityReport> {
  const quality = await evaluateScored(o.scored, await readTruth(o.truth), profileOf(o));
  if (o.json) process.stdout.write(`${JSON.stringify(quality)}\n`);
  else log(formatQuality(quality));
  return quality;
}
