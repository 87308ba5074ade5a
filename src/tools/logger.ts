// Namespaced debug logging: library code never prints; set DEBUG=audio-evidence:* to see it.
import createDebug from 'debug';

export function logger(namespace: string): createDebug.Debugger {
  return createDebug(`audio-evidence:${namespace}`);
}
