/** What other parts use of 信易贷: its module (app.module), the bank scope and the demo products. */
export { LoansModule } from './loans.module';
export { LOAN_SCOPE } from './loans.service';
export { DEMO_LOAN_PRODUCTS, seedDemoLoanProducts } from './demo';
