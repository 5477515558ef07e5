// A few worker threads that render PDFs (pdf-worker.server.ts), so that a document's tens of
// milliseconds of layout never hold up the thread that serves requests (ADR 0023). Threads start on
// the first render and stay; one that dies is replaced when there is work, and the documents it
// held are sent again, once. Where no thread can start, this thread renders, with one warning.
import type { Worker } from "node:worker_threads";
import { log } from "./log.server";
import type { PdfProps, PdfTemplate } from "./pdf-documents.server";
import type { PdfReply, PdfRequest } from "./pdf-worker.server";

type Render = <T extends PdfTemplate>(template: T, props: PdfProps<T>) => Promise<Buffer>;

export type PdfPool = {
  render: Render;
  /** Ends the threads; documents still waiting are refused. The next render starts them again. */
  stop(): Promise<void>;
};

type Job = { id: number; template: PdfTemplate; props: PdfProps<PdfTemplate>; resolve(pdf: Buffer): void; reject(error: Error): void; tries: number };
type Thread = { worker: Worker; ready: boolean; jobs: Map<number, Job>; failure?: Error };

/**
 * Documents sent to a thread ahead of its replies: two, so that it starts the next one while this
 * thread, busy with other work, has yet to read the last reply.
 */
const PER_THREAD = 2;

/**
 * `size` threads at most, each made by `start` (a Worker running pdf-worker.server.ts);
 * `renderHere` renders a document in this thread when no thread can start.
 */
export function pdfPool({ size, start, renderHere }: { size: number; start: () => Worker; renderHere: Render }): PdfPool {
  const threads = new Set<Thread>();
  const queue: Job[] = [];
  let nextId = 1;
  let unusable: Error | null = null;
  let stopping = false;

  const inThisThread = (job: Job) => renderHere(job.template, job.props).then(job.resolve, job.reject);

  function startThread(): Thread | undefined {
    let worker: Worker;
    try {
      worker = start();
    } catch (error) {
      giveUp(error as Error);
      return undefined;
    }
    const thread: Thread = { worker, ready: false, jobs: new Map() };
    // An idle thread must not keep the process alive; one with documents does (see send).
    worker.unref();
    worker.on("message", (reply: PdfReply) => answer(thread, reply));
    worker.on("error", (error) => (thread.failure = error));
    worker.on("exit", (code) => ended(thread, code));
    threads.add(thread);
    return thread;
  }

  /** Threads cannot run here (the worker's script is missing, or cannot load): this thread renders from now on. */
  function giveUp(error: Error) {
    unusable = error;
    log.warn("PDFs are rendered in the main thread: a PDF worker thread could not start", { error: error.message });
    for (const job of queue.splice(0)) void inThisThread(job);
    // Threads still rendering end after their last reply (answer).
    for (const thread of threads) if (thread.jobs.size === 0) void thread.worker.terminate();
  }

  function send(thread: Thread, job: Job) {
    try {
      thread.worker.postMessage({ id: job.id, template: job.template, props: job.props } satisfies PdfRequest);
    } catch (error) {
      // Props that cannot be cloned (a function, a class instance's methods) are the caller's mistake.
      job.reject(error as Error);
      return;
    }
    if (thread.jobs.size === 0) thread.worker.ref();
    thread.jobs.set(job.id, job);
  }

  /** An idle thread, else a new one while there are fewer than `size`, else one with room. */
  function nextThread(): Thread | undefined {
    const leastBusy = [...threads].sort((a, b) => a.jobs.size - b.jobs.size)[0];
    if (leastBusy && leastBusy.jobs.size === 0) return leastBusy;
    if (threads.size < size) return startThread();
    return leastBusy && leastBusy.jobs.size < PER_THREAD ? leastBusy : undefined;
  }

  function dispatch() {
    while (queue.length > 0 && !unusable) {
      const thread = nextThread();
      if (!thread) return;
      send(thread, queue.shift()!);
    }
  }

  function answer(thread: Thread, reply: PdfReply) {
    if ("ready" in reply) {
      thread.ready = true;
      return;
    }
    const job = thread.jobs.get(reply.id);
    if (!job) return;
    thread.jobs.delete(reply.id);
    if (thread.jobs.size === 0) {
      thread.worker.unref();
      if (unusable) void thread.worker.terminate();
    }
    if ("pdf" in reply) job.resolve(Buffer.from(reply.pdf));
    else job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, stack: reply.error.stack }));
    dispatch();
  }

  function ended(thread: Thread, code: number) {
    threads.delete(thread);
    const jobs = [...thread.jobs.values()];
    if (stopping) {
      for (const job of jobs) job.reject(new Error("PDF rendering stopped: the server is shutting down"));
      return;
    }
    // A thread that dies before it is ready will not do better next time (its script is missing,
    // cannot load, or is older than its sources): no more threads.
    if (!thread.ready && !unusable) giveUp(thread.failure ?? new Error(`the PDF worker thread exited with code ${code} before it was ready`));
    if (unusable) {
      for (const job of jobs) void inThisThread(job);
      return;
    }
    const reason = thread.failure ? thread.failure.message : `exit code ${code}`;
    log.warn("a PDF worker thread stopped", { reason, documentsSentAgain: jobs.filter((job) => job.tries < 2).length });
    for (const job of jobs.reverse()) {
      if (job.tries >= 2) job.reject(new Error(`A PDF worker thread stopped twice while rendering this ${job.template} document (${reason})`));
      else queue.unshift({ ...job, tries: job.tries + 1 });
    }
    // The documents sent again start a thread; with none, the next render will.
    dispatch();
  }

  return {
    render(template, props) {
      return new Promise<Buffer>((resolve, reject) => {
        const job: Job = { id: nextId++, template, props, resolve, reject, tries: 1 };
        if (unusable) void inThisThread(job);
        else {
          queue.push(job);
          dispatch();
        }
      });
    },

    async stop() {
      stopping = true;
      for (const job of queue.splice(0)) job.reject(new Error("PDF rendering stopped: the server is shutting down"));
      await Promise.all([...threads].map((thread) => thread.worker.terminate()));
      stopping = false;
    },
  };
}
