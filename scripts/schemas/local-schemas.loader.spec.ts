import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidSchemaFilesError } from './invalid-schema-files.error';
import { loadLocalSchemas } from './local-schemas.loader';
import { REPO_ROOT, SCHEMAS_DIR } from './repo-paths';

describe('loadLocalSchemas', () => {
  it('loads the reference choreography (keyed by orderId) and the task events (keyed by taskId)', () => {
    const schemas = loadLocalSchemas(REPO_ROOT, SCHEMAS_DIR);
    expect(schemas.map((s) => `${s.topic} ${s.name}`)).toEqual([
      'inventory.stock.events StockRejected',
      'inventory.stock.events StockReleased',
      'inventory.stock.events StockReserved',
      'orders.order.events OrderCancelled',
      'orders.order.events OrderConfirmed',
      'orders.order.events OrderPlaced',
      'payments.payment.events PaymentAuthorized',
      'payments.payment.events PaymentFailed',
      'payments.payment.events PaymentRefunded',
      'shipping.shipment.events ShipmentScheduled',
      'tasks.task.events TaskCancelled',
      'tasks.task.events TaskFailed',
      'tasks.task.events TaskSubmitted',
      'tasks.task.events TaskSucceeded',
    ]);
    expect(
      schemas.every(
        (s) =>
          s.keyField === (s.topic.startsWith('tasks.') ? 'taskId' : 'orderId') &&
          typeof s.schema.doc === 'string',
      ),
    ).toBe(true);
  });

  describe('with a broken schemas folder', () => {
    let root: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-schemas-'));
      const write = (file: string, json: object) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), JSON.stringify(json));
      };
      const base = {
        type: 'record',
        'troupe.aggregate': 'x',
        fields: [{ name: 'id', type: 'string' }],
      };
      write('schemas/a/Good.avsc', { ...base, name: 'Good', namespace: 'troupe.a' });
      write('schemas/a/Wrong.avsc', { ...base, name: 'Right', namespace: 'troupe.a' });
      write('schemas/b/Bad.avsc', { ...base, name: 'Bad', namespace: 'troupe.a' });
      write('schemas/Loose.avsc', { ...base, name: 'Loose' });
      fs.writeFileSync(path.join(root, 'schemas/a/README.md'), 'not a schema');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('reports every bad file in one error, sorted by path, each naming its file', () => {
      const error = (() => {
        try {
          return loadLocalSchemas(root, 'schemas');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidSchemaFilesError);
      expect((error as InvalidSchemaFilesError).problems.map((p) => p.file)).toEqual([
        'schemas/Loose.avsc',
        'schemas/a/Wrong.avsc',
        'schemas/b/Bad.avsc',
      ]);
      expect((error as Error).message).toContain(
        'schemas/b/Bad.avsc: namespace "troupe.a" must be "troupe.b"',
      );
    });
  });
});
