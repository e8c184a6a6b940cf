import { Controller, Get, Hub, type HubStats } from 'herald';

/** `GET /stats`: the hub's counters, for the page's stats panel. */
@Controller()
export class StatsController {
  constructor(private readonly hub: Hub) {}

  @Get('stats')
  stats(): HubStats {
    return this.hub.stats();
  }
}
