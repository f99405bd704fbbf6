/** What other parts use of operations (运维管理): its module (app.module). */
export { OpsModule } from './ops.module';
