import { Controller, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Observable, map } from 'rxjs';
import { OrderFeed } from '../domain/order-feed';
import { FeedQuery } from './feed.query';

@ApiTags('feed')
@Controller('feed')
export class FeedController {
  constructor(private readonly feed: OrderFeed) {}

  @Sse()
  @ApiOperation({
    summary: 'Live order status changes (server-sent events), every replica sees every change',
  })
  @ApiOkResponse({
    description:
      'text/event-stream; each event: id = event id, data = {orderId, status, reason?, eventId, occurredAt}',
  })
  stream(@Query() query: FeedQuery): Observable<MessageEvent> {
    return this.feed
      .watch(query.orderId)
      .pipe(map((change) => ({ id: change.eventId, data: change })));
  }
}
