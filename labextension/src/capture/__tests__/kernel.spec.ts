import { buildKernelStatusEvent } from '../notebookevents';
import { KernelStatusFilter, reportedStatus } from '../kernel';

describe('kernel status changes', () => {
  it('report restarts and deaths, not busy, idle or starting', () => {
    expect(reportedStatus('restarting')).toBe('restarting');
    expect(reportedStatus('autorestarting')).toBe('restarting');
    expect(reportedStatus('dead')).toBe('dead');
    for (const quiet of [
      'busy',
      'idle',
      'starting',
      'unknown',
      'terminating'
    ]) {
      expect(reportedStatus(quiet)).toBeNull();
    }
  });

  it('report a restart once, and the next restart again', () => {
    const filter = new KernelStatusFilter();
    expect(filter.status('restarting')).toBe('restarting');
    expect(filter.status('restarting')).toBeNull();
    expect(filter.status('starting')).toBeNull();
    expect(filter.status('idle')).toBeNull();
    expect(filter.status('autorestarting')).toBe('restarting');
  });

  it('report a new kernel connection as started and no kernel as shutdown', () => {
    const filter = new KernelStatusFilter();
    expect(filter.kernel(true)).toBe('started');
    expect(filter.kernel(true)).toBeNull(); // page load: the session and ready both say so
    expect(filter.kernel(false)).toBe('shutdown');
    expect(filter.kernel(true)).toBe('started');
  });

  it('become kernel_status events of the notebook', () => {
    expect(
      buildKernelStatusEvent(
        'restarting',
        'labs/lab1.ipynb',
        new Date('2026-11-27T10:00:00Z'),
        'id-9',
        'lab1'
      )
    ).toEqual({
      eventId: 'id-9',
      eventType: 'kernel_status',
      eventTime: '2026-11-27T10:00:00.000Z',
      notebookPath: 'labs/lab1.ipynb',
      kernelStatus: 'restarting',
      assignmentId: 'lab1'
    });
  });
});
