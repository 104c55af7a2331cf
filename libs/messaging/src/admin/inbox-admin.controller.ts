import { Body, Controller, Get, HttpCode, NotFoundException, Optional, Post, UseGuards } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsUUID, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { Inbox } from '../consumer/inbox/inbox';
import { AdminTokenGuard } from '../http-service-kit/admin-token.guard';
import { TroupeRuntime } from '../troupe.runtime';

export class InboxLookupDto {
  @Matches(/^[a-zA-Z0-9._-]{1,200}$/, { message: 'group must be a consumer group name' })
  group!: string;

  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'eventIds must be event ids (UUIDs)' })
  eventIds!: string[];
}

/** One 'once' group of the service, as the compensation app needs to know it. */
export interface InboxGroupView {
  group: string;
  /** Physical topics the group's handlers read (its replay topic not included). */
  topics: string[];
  replayTopic: string;
  deadLetterTopic: string;
  /** Event types handled, each with whether its handler may be re-applied (replay 'reprocess'). */
  handlers: Array<{ eventType: string; reapplicable: boolean }>;
}

/**
 * The inbox of this service's 'once' groups, for the compensation app (no service reads another
 * service's tables; it asks). Which of some events a group has applied; which groups there are.
 */
@UseGuards(AdminTokenGuard)
@Controller('troupe/admin/inbox')
export class InboxAdminController {
  private readonly inbox = new Inbox();

  constructor(
    private readonly runtime: TroupeRuntime,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  @Get('groups')
  groups(): { service: string; groups: InboxGroupView[] } {
    const { naming } = this.runtime;
    return {
      service: this.runtime.options.service,
      groups: this.onceGroups().map((g) => ({
        group: g.group,
        topics: g.topics.filter((t) => t !== g.replayTopic),
        replayTopic: g.replayTopic!,
        deadLetterTopic: naming.deadLetterTopic(g.group),
        handlers: [...g.byType.values()].map((h) => ({ eventType: h.event.eventType, reapplicable: h.reapplicable })),
      })),
    };
  }

  @Post('lookup')
  @HttpCode(200)
  async lookup(@Body() body: InboxLookupDto): Promise<{ group: string; present: string[] }> {
    if (!this.dataSource || !this.onceGroups().some((g) => g.group === body.group))
      throw new NotFoundException(
        `${this.runtime.options.service} has no 'once' group ${body.group} (groups: ${this.onceGroups().map((g) => g.group).join(', ') || 'none'})`,
      );
    const found = await this.inbox.lookUp(this.dataSource.manager, body.group, body.eventIds);
    return { group: body.group, present: [...found.keys()] };
  }

  private onceGroups() {
    return this.runtime.handlers.groups().filter((g) => g.delivery === 'once');
  }
}
