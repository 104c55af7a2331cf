import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationsConfig } from '../notifications.config';
import { NotificationRepository } from '../persistence/notification.repository';
import { ListNotificationsQuery } from './list-notifications.query';
import { NotificationView } from './notification.view';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly repository: NotificationRepository,
    private readonly config: NotificationsConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Notifications sent, oldest first; one per event' })
  @ApiOkResponse({ type: NotificationView, isArray: true })
  async list(@Query() query: ListNotificationsQuery): Promise<NotificationView[]> {
    const limit = Math.min(
      query.limit ?? this.config.NOTIFICATIONS_PAGE_LIMIT,
      this.config.NOTIFICATIONS_PAGE_LIMIT,
    );
    const rows = await this.repository.list({ orderId: query.orderId, limit });
    return rows.map(NotificationView.of);
  }
}
