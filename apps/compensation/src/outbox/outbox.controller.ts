import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  AdminTokenGuard,
  QuarantineReleaseRequest,
  QuarantineReleaseView,
} from '@troupe/messaging';
import { Matches } from 'class-validator';
import { OutboxOverview, OutboxOverviewView } from './outbox-overview';
import { OutboxViewQuery } from './outbox-view.query';

class ServiceParams {
  @Matches(/^[a-z0-9][a-z0-9._-]{0,99}$/, { message: 'service must be a service name' })
  service!: string;
}

/** `troupe outbox`: every service's outbox backlog and quarantine; release once the cause is fixed. */
@ApiTags('compensation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No or a wrong Authorization: Bearer <ADMIN_TOKEN>.' })
@UseGuards(AdminTokenGuard)
@Controller('outbox')
export class OutboxController {
  constructor(private readonly overview: OutboxOverview) {}

  @Get()
  @ApiOkResponse({
    description:
      'Per service: unpublished rows, age of the oldest, quarantined rows with their reason; unreachable services say so.',
  })
  view(@Query() query: OutboxViewQuery): Promise<OutboxOverviewView> {
    return this.overview.view(query.limit ?? 100);
  }

  @Post(':service/release')
  @HttpCode(200)
  @ApiOkResponse({ description: 'How many quarantined rows the service put back in line.' })
  @ApiNotFoundResponse({ description: 'No such service (SERVICE_ADMIN_URLS).' })
  async release(
    @Param() { service }: ServiceParams,
    @Body() selection: QuarantineReleaseRequest,
  ): Promise<QuarantineReleaseView> {
    if (selection.all !== true && !selection.ids)
      throw new BadRequestException(
        'the selection is empty: send "ids" (event ids of quarantined rows) or "all": true',
      );
    const answer = await this.overview.release(service, selection);
    if (!answer)
      throw new NotFoundException(
        `no service named ${service} (services: ${this.overview.configured().join(', ') || 'none configured: set SERVICE_ADMIN_URLS'})`,
      );
    if (answer.ok) return answer.body;
    if (answer.failure === 'unreachable') throw new ServiceUnavailableException(answer.problem);
    // The service's own refusal (a 4xx) is passed on as it is; its 5xx is our dependency failing.
    const status = answer.status && answer.status < 500 ? answer.status : 502;
    throw new HttpException(answer.problem, status);
  }
}
