import { Controller, Get, INestApplication, Module, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AdminTokenGuard, adminTokenProvider } from './admin-token.guard';
import { ProblemDetailsFilter } from './problem-details.filter';

@Controller('admin')
@UseGuards(AdminTokenGuard)
class AdminController {
  @Get('secret')
  secret() {
    return { ok: true };
  }
}

describe('AdminTokenGuard', () => {
  const TOKEN = 'a-token-of-32-characters-0123456';
  const apps: INestApplication[] = [];

  const start = async (token: string | undefined) => {
    @Module({ controllers: [AdminController], providers: [adminTokenProvider(token)] })
    class AdminModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AdminModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const logged: unknown[] = [];
    app.useGlobalFilters(new ProblemDetailsFilter((error) => logged.push(error)));
    await app.init();
    apps.push(app);
    return { http: app.getHttpServer(), logged };
  };

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('lets a request with the right bearer token through', async () => {
    const { http } = await start(TOKEN);
    await request(http)
      .get('/admin/secret')
      .set('authorization', `Bearer ${TOKEN}`)
      .expect(200, { ok: true });
    await request(http).get('/admin/secret').set('authorization', `bearer  ${TOKEN} `).expect(200);
  });

  it.each([
    ['no header', undefined, 'an admin token is required'],
    ['a wrong token', `Bearer ${TOKEN.slice(0, -1)}x`, 'the admin token is not valid'],
    ['a longer token', `Bearer ${TOKEN}0`, 'the admin token is not valid'],
    [
      'another scheme',
      `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
      'an admin token is required',
    ],
    ['an empty bearer', 'Bearer ', 'an admin token is required'],
  ])(
    'refuses %s with 401 problem details that do not echo the token',
    async (_what, header, detail) => {
      const { http, logged } = await start(TOKEN);
      const call = request(http).get('/admin/secret');
      const response = await (header ? call.set('authorization', header) : call);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="troupe-admin"');
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: expect.stringContaining(detail),
      });
      expect(JSON.stringify(response.body)).not.toContain(TOKEN);
      expect(logged).toEqual([]);
    },
  );

  it('refuses every request with 403 when no token is configured', async () => {
    const { http } = await start(undefined);
    const response = await request(http)
      .get('/admin/secret')
      .set('authorization', 'Bearer anything-at-all-here');
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.detail).toBe('the admin API is disabled: ADMIN_TOKEN is not set');
  });
});
