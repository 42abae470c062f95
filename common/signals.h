#pragma once
// Graceful shutdown: block SIGINT/SIGTERM in every thread (call first in main, before any thread
// starts), then wait for one with sigwait. Nothing is done inside a signal handler.
namespace relais {

void BlockTerminationSignals();
int WaitForTerminationSignal();  // returns the signal number

}  // namespace relais
