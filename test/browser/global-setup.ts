import type { TestProject } from 'vitest/node';
import { startStaticServer } from '../helpers/static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** One static server for the whole browser project; tests read its URL with `inject('baseUrl')`. */
export default async function setup(project: TestProject) {
  const server = await startStaticServer();
  project.provide('baseUrl', server.url);
  return () => server.close();
}
