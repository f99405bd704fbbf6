/** What other parts use of tracking (跟踪评估): its module (app.module). */
export { TrackingModule } from './tracking.module';
export { TrackingService } from './tracking.service';
