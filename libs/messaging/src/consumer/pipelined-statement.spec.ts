import { leavePipeline, sendAhead } from './pipelined-statement';

/** The parts of pg's Client that sendAhead looks at, and a query that answers when told to. */
function fakeClient() {
  const answers: Array<() => void> = [];
  const client = {
    pipeline: false,
    readyForQuery: true,
    _activeQuery: null as unknown,
    _queryQueue: [] as unknown[],
    _sentQueryQueue: [] as unknown[],
    sent: [] as string[],
    query(sql: string) {
      client.sent.push(sql);
      return new Promise<void>((resolve) => answers.push(resolve));
    },
  };
  return { client, answer: () => answers.shift()!() };
}

describe('sendAhead', () => {
  it('puts an idle client in pipeline mode while the statement is in flight, and takes it out once answered', async () => {
    const { client, answer } = fakeClient();
    const { answered } = sendAhead(client, 'SAVEPOINT x');
    expect(client.sent).toEqual(['SAVEPOINT x']);
    expect(client.pipeline).toBe(true); // the handler's next statement goes out right behind it
    answer();
    await answered;
    expect(client.pipeline).toBe(false);
  });

  it('stays in pipeline mode while more statements are queued behind the answered one, until they drain', async () => {
    const { client, answer } = fakeClient();
    const { answered } = sendAhead(client, 'SAVEPOINT x');
    client._sentQueryQueue.push({}, {}); // two statements of the handler pipelined behind it
    answer();
    await answered;
    expect(client.pipeline).toBe(true);
    client._sentQueryQueue.length = 0;
    expect(leavePipeline(client)).toBe(true);
    expect(client.pipeline).toBe(false);
  });

  it('simply sends the statement when the client is busy or has no pipeline mode', async () => {
    const { client, answer } = fakeClient();
    client._activeQuery = {};
    const busy = sendAhead(client, 'SAVEPOINT x');
    expect(client.pipeline).toBe(false);
    answer();
    await busy.answered;
    const old = { query: client.query, readyForQuery: true, _activeQuery: null, _queryQueue: [] as unknown[], pipeline: false };
    const plain = sendAhead(old, 'SAVEPOINT y');
    expect(old.pipeline).toBe(false);
    answer();
    await plain.answered;
  });

  it('rejects with the statement’s error, out of pipeline mode', async () => {
    const client = {
      pipeline: false,
      readyForQuery: true,
      _activeQuery: null,
      _queryQueue: [] as unknown[],
      _sentQueryQueue: [] as unknown[],
      query: () => Promise.reject(new Error('current transaction is aborted')),
    };
    await expect(sendAhead(client, 'SAVEPOINT x').answered).rejects.toThrow('current transaction is aborted');
    expect(client.pipeline).toBe(false);
  });
});
